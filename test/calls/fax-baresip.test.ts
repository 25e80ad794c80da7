/*
 * Test plan: our fax re-INVITE against a real peer (baresip, peers.md §3; real sockets, system
 * clock). The simulated phone on a real unit calls baresip (auto-answer, PCMU) and then plays a
 * fax answer tone (CED, 2100 Hz) as a fax machine would: the unit hears it on its line, switches
 * its media path and re-INVITEs with the G.711 pass-through offer (tshark: the second INVITE
 * carries a=silenceSupp:off and a=gpmd:0 vbd=yes, no telephone-event); baresip answers 200 and
 * the call goes on: status says fax, the jitter buffer is fixed, baresip's sine is still heard.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderAns } from '../../cpe/media/dsp/fax-tones';
import { CapturingLogger } from '../../cpe/shared/logger';
import type { RtpMediaSession } from '../../cpe/voice/calls/rtp-media-session';
import { haveCommand, type Peer } from '../support/peer';
import { startBaresip, type Baresip } from './support/baresip';
import { bootUnit, sipMethods, sleep, startTshark, type TestUnit } from './support/unit';

describe('fax re-INVITE answered by baresip (real sockets)', function () {
  this.timeout(60_000);
  let dir: string;
  let unit: TestUnit | undefined;
  let peer: Baresip | undefined;
  let tshark: Peer | undefined;

  before(() => {
    for (const cmd of ['baresip', 'tshark']) assert.ok(haveCommand(cmd), `${cmd} is required (apt-get install baresip tshark)`);
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-faxbs-'));
  });
  afterEach(async () => {
    await tshark?.stop();
    await peer?.stop();
    await unit?.stop();
    peer = unit = tshark = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('CED from the phone → re-INVITE G.711 pass-through → baresip 200 → the call goes on in pass-through', async () => {
    const b = await startBaresip(dir, { user: '1002' });
    peer = b;
    const log = new CapturingLogger();
    unit = await bootUnit({ P47: `127.0.0.1:${b.sipPort}` }, log);
    const cap = await startTshark(dir, [unit.sipPort, b.sipPort]);
    tshark = cap.peer;
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1002#');
    await b.waitEvent('CALL_ESTABLISHED');
    await phone.hears('audio', { timeoutMs: 10_000 });
    phone.speak(renderAns(3000));
    const status = () => unit!.device.status.get('voice.calls')?.[0]?.calls[0];
    for (let i = 0; i < 200 && !(status()?.fax && log.records.some((r) => r.msg === 'fax state' && (r.obj as { to?: string }).to === 'passThrough')); i++) await sleep(25);
    assert.equal(status()?.fax, true, 'call status: fax pass-through');
    const states = log.records.filter((r) => r.msg === 'fax state').map((r) => (r.obj as { to: string }).to);
    assert.deepEqual(states, ['reinviting', 'passThrough']);
    assert.ok(!log.records.some((r) => /re-INVITE refused/.test(r.msg ?? '')), 'baresip accepted the re-INVITE');
    const media = unit.calls.fxs?.active?.media as RtpMediaSession | undefined;
    assert.equal(media?.rtpSession?.jitterBuffer.mode, 'fixed');
    assert.equal(media?.rtpSession?.jitterBuffer.delayMs, 120);
    // the call still carries audio both ways after baresip's answer
    const before = media?.stats?.received.packets ?? 0;
    await sleep(1000);
    assert.ok((media?.stats?.received.packets ?? 0) > before + 25, 'RTP from baresip keeps coming');
    assert.equal(b.events.filter((e) => e.type === 'CALL_CLOSED').length, 0);
    phone.onHook();
    await b.waitEvent('CALL_CLOSED');
    await sleep(300);
    await tshark.stop();
    tshark = undefined;
    const methods = sipMethods(cap.file);
    const invites = methods.filter((m) => m === 'INVITE').length;
    assert.equal(invites, 2, `INVITE and the fax re-INVITE: ${methods.join(' ')}`);
    assert.ok(methods.filter((m) => m === '200').length >= 3, `200 to both INVITEs and to BYE: ${methods.join(' ')}`);
    const sdp = spawnSync('tshark', ['-r', cap.file, '-Y', 'sip.Method == "INVITE"', '-T', 'fields', '-e', 'sdp.media', '-e', 'sdp.media_attr'], { encoding: 'utf8' }).stdout.trim().split('\n');
    const reinvite = sdp[1] ?? '';
    assert.match(reinvite, /silenceSupp:off - - - -/, reinvite);
    assert.match(reinvite, /gpmd:0 vbd=yes/);
    assert.doesNotMatch(reinvite, /telephone-event/);
  });
});
