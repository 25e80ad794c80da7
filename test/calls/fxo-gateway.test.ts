/*
 * The FXO port as a VoIP ↔ PSTN gateway (user guide "VoIP-to-PSTN Calls", "PSTN-to-VoIP Calls",
 * "One Stage Dialing", "Forward Calls to VoIP") on a real unit: account 2 on its own SIP port,
 * the simulated central office on the FXO jack, baresip as the VoIP party (peers.md §3).
 * Audio is checked both ways: the far PSTN party's 1000 Hz reaches baresip's decoder, baresip's
 * 440 Hz sine reaches the far PSTN party.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CentralOffice } from '../../cpe/hw/sim/central-office';
import type { HwService } from '../../cpe/hw/service';
import { decodeWav } from '../../cpe/media/dsp/wav';
import { renderDtmf } from '../../cpe/media/dsp/dtmf-generator';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { SystemClock } from '../../cpe/shared/clock';
import { haveCommand } from '../support/peer';
import { freePort } from '../support/ports';
import { startBaresip, type Baresip } from './support/baresip';
import { bootUnit, freeRtpPort, sleep, type TestUnit } from './support/unit';

function peakIn(samples: ArrayLike<number>, hz: number, rate = 8000): number {
  const n = Math.round(rate / 10);
  let best = 0;
  for (let i = 0; i + n <= samples.length; i += n) best = Math.max(best, toneAmplitude(samples, i, n, hz, rate));
  return best;
}

/** baresip's decoded (received) audio: the strongest `hz` in any of its dumps. */
function heardByBaresip(b: Baresip, hz: number): number {
  const dumps = fs.readdirSync(path.join(b.dir, 'snd')).filter((f) => /dec/.test(f));
  let best = 0;
  for (const f of dumps) {
    try {
      const wav = decodeWav(fs.readFileSync(path.join(b.dir, 'snd', f)));
      best = Math.max(best, peakIn(wav.samples, hz, wav.sampleRate));
    } catch {
      /* a dump still being written */
    }
  }
  return best;
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  for (let t = 0; t < ms; t += 50) {
    if (check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('FXO gateway: VoIP ↔ PSTN through account 2 (real sockets, baresip, simulated CO)', function () {
  this.timeout(60_000);
  let dir: string;
  let unit: TestUnit | undefined;
  let peers: Baresip[] = [];
  let co: CentralOffice;
  let fxoSip: number;
  let heardByPstn: Int16Array[];
  let pstnTone: NodeJS.Timeout | undefined;

  before(() => {
    assert.ok(haveCommand('baresip'), 'baresip is required (apt-get install baresip)');
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-fxo-'));
  });
  afterEach(async () => {
    clearInterval(pstnTone);
    pstnTone = undefined;
    for (const p of peers) await p.stop();
    await unit?.stop();
    peers = [];
    unit = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A unit whose account 2 listens on its own port (no registration) with a CO on the FXO jack. */
  async function boot(params: Record<string, string>): Promise<void> {
    fxoSip = await freePort();
    const fxoRtp = await freeRtpPort();
    unit = await bootUnit({ P401: '1', P731: '0', P735: '2000', P740: String(fxoSip), P739: String(fxoRtp), ...params });
    const sip = unit.device.service<import('../../cpe/voice/accounts/sip-service').SipService>('sip');
    await until('account 2 on its port', () => sip?.account(2).transport?.localAddress('udp').port === fxoSip);
    co = new CentralOffice({ clock: new SystemClock(), numberLength: 7, answerAfterMs: 500 });
    unit.device.service<HwService>('hw')!.plugLine(co);
    heardByPstn = [];
    co.farEnd.onFrame((f) => heardByPstn.push(Int16Array.from(f)));
  }

  /** The far PSTN party speaks a 1000 Hz tone while connected. */
  function pstnSpeaks(): void {
    const frame = Int16Array.from({ length: 160 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));
    pstnTone = setInterval(() => {
      if (co.state === 'connected') co.farEnd.write(frame);
    }, 20);
  }

  const gateway = (): string | undefined => unit?.device.status.get('voice.fxo')?.state;

  /** baresip's 440 Hz reached the PSTN party, and the PSTN party's 1000 Hz reached baresip. */
  function audioBothWays(b: Baresip): void {
    const pstnHeard = peakIn(Int16Array.from(heardByPstn.flatMap((f) => Array.from(f))), 440);
    assert.ok(pstnHeard > 300, `baresip's 440 Hz not heard by the PSTN party (peak ${pstnHeard.toFixed(0)})`);
    const voipHeard = heardByBaresip(b, 1000);
    assert.ok(voipHeard > 300, `the PSTN party's 1000 Hz not in baresip's audio (peak ${voipHeard.toFixed(0)})`);
  }

  it('VoIP → PSTN, one stage: the Request-URI number is dialed on the line; audio both ways; BYE releases the line', async () => {
    await boot({ P3304: '1' });
    const b = await startBaresip(dir, { user: '1002' });
    peers.push(b);
    pstnSpeaks();
    await b.command('dial', `sip:5551234@127.0.0.1:${fxoSip}`);
    await b.waitEvent('CALL_ESTABLISHED');
    await until('the CO to connect the dialed number', () => co.state === 'connected');
    assert.deepEqual(co.dialed, ['5551234']);
    assert.equal(gateway(), 'bridged');
    await sleep(2000);
    await b.command('hangup');
    await until('the line released', () => co.state === 'idle' && gateway() === 'idle');
    await sleep(300);
    audioBothWays(b);
  });

  it('VoIP → PSTN, two stage with a PIN: the prompt, a wrong PIN, the right one, then the caller dials through the bridge', async () => {
    await boot({ P794: '4321' });
    const b = await startBaresip(dir, { user: '1002' });
    peers.push(b);
    await b.command('dial', `sip:2000@127.0.0.1:${fxoSip}`);
    await b.waitEvent('CALL_ESTABLISHED');
    await sleep(500);
    assert.equal(gateway(), 'voipPin');
    assert.equal(co.state, 'idle', 'the line is not seized before the PIN');
    for (const d of '99#') {
      await b.command('sndcode', d);
      await sleep(250);
    }
    await sleep(300);
    assert.equal(gateway(), 'voipPin', 'a wrong PIN is asked again');
    for (const d of '4321#') {
      await b.command('sndcode', d);
      await sleep(250);
    }
    await until('the line seized after the PIN', () => co.state === 'dialTone');
    assert.equal(gateway(), 'bridged');
    for (const d of '5550001') {
      await b.command('sndcode', d);
      await sleep(250);
    }
    await until('the CO to take the number dialed through the bridge', () => co.dialed.length > 0);
    assert.deepEqual(co.dialed, ['5550001']);
    await b.command('hangup');
    await until('the line released', () => co.state === 'idle' && gateway() === 'idle');
  });

  it('PSTN → VoIP, forward (P3305–P3307): answered after P798 rings, baresip called, audio both ways; the PSTN hang-up ends the call', async () => {
    const b = await startBaresip(dir, { user: '1002' });
    peers.push(b);
    await boot({ P798: '1', P3305: '1002', P3306: '127.0.0.1', P3307: String(b.sipPort) });
    pstnSpeaks();
    assert.ok(co.call({ number: '6265551234' }));
    await b.waitEvent('CALL_ESTABLISHED', 20_000);
    await until('bridged', () => gateway() === 'bridged');
    assert.equal(co.state, 'connected');
    await sleep(2000);
    co.farEndHangUp();
    await b.waitEvent('CALL_CLOSED', 15_000);
    await until('the gateway idle', () => gateway() === 'idle');
    audioBothWays(b);
  });

  it('the FXS phone dials an L: route: the line is seized, the number dialed, the phone hears the PSTN party; on-hook releases', async () => {
    await boot({ P4200: '{ L: 911 | x+ }' });
    pstnSpeaks();
    const phone = unit!.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('911#');
    await until('the CO to connect 911', () => co.state === 'connected', 15_000);
    assert.deepEqual(co.dialed, ['911']);
    assert.equal(gateway(), 'local');
    assert.equal(unit!.device.status.get('voice.calls')?.[0]?.state, 'pstn');
    await phone.hears('audio', { timeoutMs: 10_000 });
    phone.onHook();
    await until('the line released', () => co.state === 'idle' && gateway() === 'idle');
  });

  it('a PSTN call rings the phone with its caller ID (P842; P843 = 4 s lets the line\'s caller ID arrive first); the phone answers and hears the PSTN caller', async () => {
    await boot({});
    pstnSpeaks();
    const phone = unit!.phone;
    assert.ok(co.call({ number: '6265551234', name: 'PSTN CALLER' }));
    await phone.waitRings(1, 15_000);
    const cid = await phone.waitCallerId(15_000);
    assert.equal(cid.number, '6265551234');
    assert.equal(unit!.device.status.get('voice.calls')?.[0]?.state, 'pstnRinging');
    phone.offHook();
    await until('the CO connected', () => co.state === 'connected');
    assert.equal(gateway(), 'local');
    await phone.hears('audio', { timeoutMs: 10_000 });
    phone.onHook();
    await until('the line released', () => co.state === 'idle' && gateway() === 'idle');
  });

  it('PSTN → VoIP, two stage: dial tone to the line, the caller dials the VoIP number with #, account 2 calls it', async () => {
    const b = await startBaresip(dir, { user: '1002' });
    peers.push(b);
    await boot({ P798: '1', P747: `127.0.0.1:${b.sipPort}` });
    assert.ok(co.call({ number: '6265551234' }));
    await until('the dial-tone stage', () => gateway() === 'pstnDigits', 20_000);
    co.farEnd.write(renderDtmf('1002#', { onMs: 100, offMs: 100 }));
    await b.waitEvent('CALL_ESTABLISHED', 15_000);
    await until('bridged', () => gateway() === 'bridged');
    assert.equal(unit!.device.status.get('voice.fxo')?.remote, '1002');
    await b.command('hangup');
    await until('the line released', () => co.state === 'idle' && gateway() === 'idle');
  });
});
