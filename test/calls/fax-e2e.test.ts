/*
 * Test plan: a fax page sent for real through the units, under one FakeClock. Two G3 fax machines
 * (spandsp T.30 over audio, test/media/tools/fax-spandsp.c, a one-page TIFF it makes) sit on
 * simulated lines; their tones and V.17/V.29/V.27ter modulation go through the FXS port, the
 * media clock, our G.711 (or G.726) RTP, the jitter buffer and back out. Each asserts T.30
 * completion OK and 1 page, and what the units did:
 *  - FXS → FXS on a G.711 call, P4416 on: the fax re-INVITE went out (vbd=yes), both calls are
 *    in pass-through (status), both media paths fixed at 120 ms;
 *  - FXS → FXS on a G.726 call: the re-INVITE takes it to G.711 before the page;
 *  - P4416 off on both: no re-INVITE, each unit switched its own G.711 path on the tones;
 *  - FXS → the other unit's FXO gateway (one stage) → the simulated central office → a fax
 *    machine on the far PSTN line: the gateway's call goes pass-through too;
 *  - PSTN → VoIP: a fax machine calls in on the PSTN line, the gateway forwards the call (P3305)
 *    to the other unit's phone, whose fax machine receives; the gateway's re-INVITE (P4417) is
 *    the only one (P4416 off on the FXS unit).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LineAudio } from '../../cpe/hw/types';
import type { SipRequest } from '../../cpe/voice/sip/syntax/message';
import { buildSpandspHelper, type SpandspHelper } from '../media/tools/spandsp-helper';
import { starIp } from './sip-rig';
import { FaxMachine } from './support/fax-machine';
import { faxRig, type RigUnit } from './support/fax-rig';

type Rig = ReturnType<typeof faxRig>;

describe('fax end to end: a page through the units (spandsp T.30 machines, FakeClock)', function () {
  this.timeout(180_000);
  let helper: SpandspHelper;
  let dir: string;
  let page: string;
  let machines: FaxMachine[] = [];

  before(() => {
    helper = buildSpandspHelper('fax-spandsp');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-fax-'));
    page = path.join(dir, 'page.tif');
    const made = spawnSync(helper.path, ['make', page, '120'], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
  });
  afterEach(() => {
    for (const m of machines) m.stop();
    machines = [];
  });
  after(() => {
    helper?.remove();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the clock 20 ms at a time, each step waiting for the fax machines' answers, until `done` or `maxMs`. */
  async function run(rig: Rig, done: () => boolean, maxMs: number): Promise<void> {
    for (let t = 0; t < maxMs && !done(); t += 20) {
      rig.clock.advance(20);
      await Promise.all(machines.map((m) => m.flush()));
    }
  }

  function machine(mode: 'send' | 'receive', line: LineAudio, file: string): FaxMachine {
    const m = new FaxMachine(helper.path, mode, file, line);
    machines.push(m);
    return m;
  }

  /** The in-dialog INVITEs whose offer marks voiceband data (our fax re-INVITEs), by sender address:port. */
  function faxReinvites(rig: Rig): string[] {
    return rig.net.log
      .filter((r) => !r.dropped && r.message.type === 'request' && (r.message as SipRequest).method === 'INVITE' && /vbd=yes/.test(r.bytes.toString('utf8')))
      .map((r) => `${r.from.address}:${r.from.port}`);
  }

  /** Caller A's fax machine sends the page to B's, which answers on its FXS line; resolves when both report phase E. */
  async function faxFxsToFxs(rig: Rig, a: RigUnit, b: RigUnit): Promise<{ tx: FaxMachine; rx: FaxMachine; received: string }> {
    const received = path.join(dir, `rx-${Date.now()}-${machines.length}.tif`);
    let tx: FaxMachine | undefined;
    let rx: FaxMachine | undefined;
    a.phone.offHook();
    void a.phone.dial(starIp(b.address)).then(() => (tx = machine('send', a.phone.audio, page)));
    // B's fax machine answers on the first ring
    await run(rig, () => b.phone.rings > 0, 10_000);
    b.phone.offHook();
    rx = machine('receive', b.phone.audio, received);
    await run(rig, () => tx?.result !== undefined && rx?.result !== undefined, 120_000);
    assert.ok(tx && rx, 'both machines started');
    return { tx, rx, received };
  }

  /**
   * T.30 completion OK, one page, and at V.17 14,400 bit/s: G.711 pass-through carries the top
   * rate (left on G.726-32, the same machines train down to 12,000).
   */
  function assertPage(tx: FaxMachine, rx: FaxMachine, received: string): void {
    assert.deepEqual({ code: tx.result?.code, pages: tx.result?.pages, rate: tx.result?.rate }, { code: 0, pages: 1, rate: 14400 }, `sender: ${tx.result?.text}\n${tx.log}`);
    assert.deepEqual({ code: rx.result?.code, pages: rx.result?.pages, rate: rx.result?.rate }, { code: 0, pages: 1, rate: 14400 }, `receiver: ${rx.result?.text}\n${rx.log}`);
    assert.ok(fs.statSync(received).size > 1000, 'the received page was written');
  }

  function inPassThrough(u: RigUnit): void {
    assert.equal(u.line.status().calls[0]?.fax, true, `${u.address}: call status says fax`);
    const rtp = u.sessions[u.sessions.length - 1]!.rtpSession!;
    assert.equal(rtp.jitterBuffer.mode, 'fixed');
    assert.equal(rtp.jitterBuffer.delayMs, 120);
  }

  it('FXS → FXS, G.711, P4416 on: re-INVITE, both calls in pass-through, the page arrives', async () => {
    const rig = faxRig(1);
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    const { tx, rx, received } = await faxFxsToFxs(rig, a, b);
    assertPage(tx, rx, received);
    assert.equal(faxReinvites(rig).length, 1, 'one fax re-INVITE (vbd=yes), from whichever unit heard its own line first');
    inPassThrough(a);
    inPassThrough(b);
    assert.equal(a.line.active?.negotiatedMedia?.sendCodec.encoding, 'PCMU');
  });

  it('FXS → FXS on a G.726 call: the re-INVITE brings it to G.711, then the page arrives', async () => {
    const rig = faxRig(2);
    const a = rig.unit('127.0.0.1', '1001', { 57: '2', 58: '0', 59: '8' });
    const b = rig.unit('127.0.0.2', '1002', { 57: '2', 58: '0', 59: '8' });
    const { tx, rx, received } = await faxFxsToFxs(rig, a, b);
    assertPage(tx, rx, received);
    assert.equal(faxReinvites(rig).length, 1);
    assert.equal(a.line.active?.negotiatedMedia?.sendCodec.encoding, 'PCMU');
    assert.equal(b.line.active?.negotiatedMedia?.sendCodec.encoding, 'PCMU');
    inPassThrough(a);
    inPassThrough(b);
  });

  it('P4416 off on both units: no re-INVITE; each switches its own G.711 path, the page arrives', async () => {
    const rig = faxRig(3);
    const a = rig.unit('127.0.0.1', '1001', { 4416: '0' });
    const b = rig.unit('127.0.0.2', '1002', { 4416: '0' });
    const { tx, rx, received } = await faxFxsToFxs(rig, a, b);
    assertPage(tx, rx, received);
    assert.deepEqual(faxReinvites(rig), []);
    inPassThrough(a);
    inPassThrough(b);
  });

  it('FXS → FXO gateway (one stage) → PSTN: the far fax machine on the central office line gets the page', async () => {
    const rig = faxRig(4);
    const a = rig.unit('127.0.0.1', '1001', {}, { domain: '127.0.0.2:5062' });
    const b = rig.unit('127.0.0.2', '1002', { 3304: '1' }, { fxo: true });
    const co = b.co!;
    const received = path.join(dir, 'rx-pstn.tif');
    let tx: FaxMachine | undefined;
    let rx: FaxMachine | undefined;
    a.phone.offHook();
    void a.phone.dial('5551234#').then(() => (tx = machine('send', a.phone.audio, page)));
    await run(rig, () => co.state === 'connected', 20_000);
    assert.deepEqual(co.dialed, ['5551234']);
    rx = machine('receive', co.farEnd, received);
    await run(rig, () => tx?.result !== undefined && rx?.result !== undefined, 120_000);
    assert.ok(tx && rx);
    assertPage(tx, rx, received);
    assert.equal(b.gateway!.status().fax, true, 'the gateway call is in fax pass-through');
    inPassThrough(a);
  });

  it('PSTN → VoIP: a fax calling in on the PSTN line is forwarded by the gateway (P3305); the gateway re-INVITEs (P4417)', async () => {
    const rig = faxRig(5);
    const a = rig.unit('127.0.0.1', '1001', { 4416: '0' });
    const b = rig.unit('127.0.0.2', '1002', { 798: '1', 842: '0', 3305: '1001', 3306: '127.0.0.1' }, { fxo: true });
    const co = b.co!;
    const received = path.join(dir, 'rx-voip.tif');
    assert.ok(co.call());
    await run(rig, () => co.state === 'connected', 20_000);
    const tx = machine('send', co.farEnd, page);
    await run(rig, () => a.phone.rings > 0, 20_000);
    a.phone.offHook();
    const rx = machine('receive', a.phone.audio, received);
    await run(rig, () => tx.result !== undefined && rx.result !== undefined, 120_000);
    assertPage(tx, rx, received);
    assert.deepEqual(faxReinvites(rig), ['127.0.0.2:5062'], 'the FXO account sent the one fax re-INVITE');
    assert.equal(b.gateway!.status().fax, true);
    inPassThrough(a);
  });
});
