/*
 * Test plan: fax pass-through of a call (P228/P710, P4416/P4417) with fakes under a FakeClock.
 * FXS line:
 *  - a tone from the phone (CNG) on a G.711 call: media path switched at once, re-INVITE with
 *    PCMU/PCMA in P57.. order, no telephone-event, no CN, a=silenceSupp:off and gpmd vbd=yes,
 *    ptime 20; status `fax`; P228 = 0 logs "T.38 not available" once per call, P228 = 1 never;
 *  - a G.726 call: the media path waits for the re-INVITE's G.711 answer;
 *  - a tone from the network: local switch now, our re-INVITE only after FAR_END_GRACE_MS, and
 *    none when the peer's pass-through re-INVITE came first (answered G.711 + marks);
 *  - P4416 = 0: no re-INVITE; switched on G.711, 'failed' on G.726;
 *  - re-INVITE refused: pass-through on this side only (G.711) or 'failed';
 *  - glare (491): the peer's pass-through re-INVITE meanwhile makes our retry unnecessary;
 *  - T.38: a T.38-only re-INVITE gets 488 and the call keeps its audio (then our own
 *    pass-through re-INVITE after the grace); audio + image: image rejected with port 0;
 *  - a peer writing silenceSupp:off on every call (session refresh) is not asking for fax;
 *  - phone digits are not relayed (RFC 4733 / INFO) in pass-through; no call waiting over a fax.
 * FXO gateway: P710/P4417 are profile 2's; status `fax`. Web status text.
 */
import assert from 'node:assert/strict';
import { FAR_END_GRACE_MS, readFaxSettings } from '../../cpe/voice/fxs/fax-pass-through';
import { faxMarks, faxRequest } from '../../cpe/voice/sdp/fax-sdp';
import { decodeSdp } from '../../cpe/voice/sdp/sdp';
import { rtpMaps } from '../../cpe/voice/sdp/sdp-media';
import { FxoGateway } from '../../cpe/voice/fxo/fxo-gateway';
import { MediaClock } from '../../cpe/media/media-clock';
import type { FxoEvent, FxoPort, FxoState, LineAudio } from '../../cpe/hw/types';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { collectStatus } from '../../cpe/web/status-view';
import { FakeClock } from '../support/fake-clock';
import { makeLine, type Harness } from './fxs-harness';
import { FakeMediaSession, FakeSignalling, MapParams, peerSdp, type FakeCall } from './fxs-fakes';

/** A peer's SDP with explicit media lines. */
function sdp(version: number, ...media: string[]): string {
  return ['v=0', `o=peer 1 ${version} IN IP4 127.0.0.2`, 's=-', 'c=IN IP4 127.0.0.2', 't=0 0', ...media].join('\r\n') + '\r\n';
}
const G726_ANSWER = sdp(1, 'm=audio 40000 RTP/AVP 2', 'a=rtpmap:2 G726-32/8000');
/** A pass-through re-INVITE as another unit (or a V.152 gateway) sends it. */
const PEER_FAX = sdp(2, 'm=audio 40000 RTP/AVP 0 8', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=ptime:20', 'a=silenceSupp:off - - - -', 'a=gpmd:0 vbd=yes', 'a=gpmd:8 vbd=yes');
const T38_ONLY = sdp(2, 'm=image 40000 udptl t38', 'a=T38FaxVersion:0', 'a=T38FaxRateManagement:transferredTCF', 'a=T38FaxUdpEC:t38UDPRedundancy');
const T38_AND_AUDIO = sdp(2, 'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'm=image 40002 udptl t38', 'a=T38FaxVersion:0');

/** An outgoing call from the phone, answered with `answer`: the call, its media session. */
function talking(h: Harness, answer = peerSdp(40000)): { call: FakeCall; media: FakeMediaSession } {
  h.phone.offHook();
  h.phone.dial('1002#');
  const call = h.sip.last;
  call.ev.answered(answer);
  call.confirmed = true;
  assert.equal(h.line.state, 'talking');
  return { call, media: h.media.sessions[h.media.sessions.length - 1]! };
}

function t38Warnings(log: CapturingLogger): number {
  return log.records.filter((r) => r.level === 'warn' && /T\.38/.test(r.msg ?? '')).length;
}

const ok200 = (offer: string): string => {
  // the far end's answer to our pass-through offer: its first codec, with the marks
  const pt = decodeSdp(offer).media[0]!.formats[0]!;
  const name = pt === '8' ? 'PCMA' : 'PCMU';
  return sdp(2, `m=audio 40000 RTP/AVP ${pt}`, `a=rtpmap:${pt} ${name}/8000`, 'a=silenceSupp:off - - - -', `a=gpmd:${pt} vbd=yes`);
};

describe('fax pass-through: FXS line', () => {
  it('CNG from the phone on a G.711 call: switched at once, re-INVITE G.711 only with the voiceband-data marks', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    const leg = h.line.active!;
    assert.equal(h.line.status().calls[0]!.fax, false);
    media.hearFax('cng', 'line');
    assert.equal(media.passThrough, true, 'media path switched without waiting for signalling');
    assert.equal(call.reoffers.length, 1);
    const offer = call.lastReoffer!;
    const m = decodeSdp(offer).media[0]!;
    assert.deepEqual(m.formats, ['0', '8'], 'PCMU, PCMA in P57/P58 order; no telephone-event, no CN');
    assert.deepEqual(rtpMaps(m).map((r) => r.encoding), ['PCMU', 'PCMA']);
    assert.match(offer, /^a=silenceSupp:off - - - -\r$/m);
    assert.match(offer, /^a=gpmd:0 vbd=yes\r$/m);
    assert.match(offer, /^a=gpmd:8 vbd=yes\r$/m);
    assert.match(offer, /^a=ptime:20\r$/m);
    assert.doesNotMatch(offer, /telephone-event|CN\/8000/);
    assert.equal(leg.fax.state, 'reinviting');
    call.ev.reofferResult(200, ok200(offer));
    assert.equal(leg.fax.state, 'passThrough');
    assert.deepEqual(h.line.status().calls[0]!.fax, true);
    assert.equal(t38Warnings(h.log), 1, 'P228 = 0 (T.38 auto): "T.38 not available" logged');
    media.hearFax('ans', 'network');
    media.hearFax('v21', 'line');
    assert.equal(call.reoffers.length, 1, 'one re-INVITE per call');
    assert.equal(t38Warnings(h.log), 1, 'logged once per call');
  });

  it('the fax offer keeps the line\'s G.711 order (P57 = PCMA first); P228 = 1 logs nothing about T.38', () => {
    const h = makeLine({ 57: '8', 58: '0', 228: '1' });
    const { call, media } = talking(h, peerSdp(40000, { formats: '8 0 101' }));
    media.hearFax('cng', 'line');
    assert.deepEqual(decodeSdp(call.lastReoffer!).media[0]!.formats, ['8', '0']);
    assert.equal(t38Warnings(h.log), 0);
  });

  it('a G.726 call: the re-INVITE brings it to G.711, then the media path switches', () => {
    const h = makeLine({ 57: '2', 58: '0', 59: '8' });
    h.media.codecs = ['G726-32', 'PCMU', 'PCMA'];
    const { call, media } = talking(h, G726_ANSWER);
    assert.equal(media.last?.sendCodec.encoding, 'G726-32');
    media.hearFax('ans', 'line');
    assert.equal(media.passThrough, false, 'G.726 cannot carry fax: wait for G.711');
    assert.deepEqual(decodeSdp(call.lastReoffer!).media[0]!.formats, ['0', '8'], 'G.726 left out of the fax offer');
    call.ev.reofferResult(200, ok200(call.lastReoffer!));
    assert.equal(media.last?.sendCodec.encoding, 'PCMU');
    assert.equal(media.passThrough, true);
    assert.equal(h.line.active!.fax.state, 'passThrough');
  });

  it('a tone from the network: local switch now; our re-INVITE only after the grace, exactly', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    media.hearFax('ans', 'network');
    assert.equal(media.passThrough, true);
    assert.equal(call.reoffers.length, 0);
    assert.equal(h.line.active!.fax.state, 'waiting');
    h.clock.advance(FAR_END_GRACE_MS - 1);
    assert.equal(call.reoffers.length, 0);
    h.clock.advance(1);
    assert.equal(call.reoffers.length, 1);
    assert.match(call.lastReoffer!, /a=gpmd:0 vbd=yes/);
  });

  it('a tone from the network, then the peer\'s pass-through re-INVITE: answered G.711 with the marks, no re-INVITE of ours', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    media.hearFax('cng', 'network');
    h.clock.advance(300);
    const r = call.ev.offer(PEER_FAX);
    assert.ok('sdp' in r);
    assert.match(r.sdp, /^m=audio 5004 RTP\/AVP 0 8\r$/m, 'G.711 only, in our order');
    assert.match(r.sdp, /a=silenceSupp:off - - - -/);
    assert.match(r.sdp, /a=gpmd:0 vbd=yes/);
    assert.equal(h.line.active!.fax.state, 'passThrough');
    h.clock.advance(5000);
    assert.equal(call.reoffers.length, 0);
  });

  it('the peer\'s pass-through re-INVITE without any tone heard here switches us too', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    const r = call.ev.offer(PEER_FAX);
    assert.ok('sdp' in r);
    assert.equal(media.passThrough, true);
    assert.equal(h.line.status().calls[0]!.fax, true);
  });

  it('P4416 = 0: no re-INVITE; a G.711 call switches its own path, a G.726 call cannot', () => {
    const h = makeLine({ 4416: '0' });
    const { call, media } = talking(h);
    media.hearFax('cng', 'line');
    h.clock.advance(5000);
    assert.equal(call.reoffers.length, 0);
    assert.equal(media.passThrough, true);
    assert.equal(h.line.active!.fax.state, 'passThrough');
    const g = makeLine({ 4416: '0', 57: '2' });
    g.media.codecs = ['G726-32', 'PCMU'];
    const t = talking(g, G726_ANSWER);
    t.media.hearFax('cng', 'line');
    g.clock.advance(5000);
    assert.equal(t.call.reoffers.length, 0);
    assert.equal(t.media.passThrough, false);
    assert.equal(g.line.active!.fax.state, 'failed');
    assert.ok(g.log.records.some((r) => r.level === 'warn' && /not G\.711/.test(r.msg ?? '')));
  });

  it('re-INVITE refused: a G.711 call stays switched on this side; a G.726 call is left as it was', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    media.hearFax('cng', 'line');
    call.ev.reofferResult(488, undefined);
    assert.equal(h.line.active!.fax.state, 'passThrough');
    assert.equal(media.passThrough, true);
    const g = makeLine({ 57: '2' });
    g.media.codecs = ['G726-32', 'PCMU'];
    const t = talking(g, G726_ANSWER);
    t.media.hearFax('cng', 'line');
    t.call.ev.reofferResult(488, undefined);
    assert.equal(g.line.active!.fax.state, 'failed');
    assert.equal(t.media.passThrough, false);
    assert.equal(t.media.last?.sendCodec.encoding, 'G726-32');
    // the far end may still ask for pass-through itself
    assert.ok('sdp' in t.call.ev.offer(PEER_FAX));
    assert.equal(g.line.active!.fax.state, 'passThrough');
    assert.equal(t.media.passThrough, true);
  });

  it('glare: our fax re-INVITE gets 491, the peer\'s comes in meanwhile, and ours is not retried', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    media.hearFax('cng', 'line');
    call.ev.reofferResult(491, undefined);
    assert.ok('sdp' in call.ev.offer(PEER_FAX));
    h.clock.advance(5000); // past both RFC 3261 §14.1 glare waits
    assert.equal(call.reoffers.length, 1);
    assert.equal(h.line.active!.fax.state, 'passThrough');
  });

  it('glare without the peer\'s re-INVITE: ours is retried after the §14.1 wait', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    media.hearFax('cng', 'line');
    call.ev.reofferResult(491, undefined);
    h.clock.advance(4000);
    assert.equal(call.reoffers.length, 2);
    assert.match(call.lastReoffer!, /a=gpmd:0 vbd=yes/);
    call.ev.reofferResult(200, ok200(call.lastReoffer!));
    assert.equal(h.line.active!.fax.state, 'passThrough');
  });

  it('a T.38-only re-INVITE: 488, the call keeps its audio; then our pass-through re-INVITE after the grace', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    const before = media.updates.length;
    assert.deepEqual(call.ev.offer(T38_ONLY), { status: 488 });
    assert.equal(media.updates.length, before, 'audio unchanged (RFC 3261 §14.2)');
    assert.equal(media.stopped, false);
    assert.equal(media.last?.sendCodec.encoding, 'PCMU');
    assert.equal(media.passThrough, true, 'the far end has a fax: our G.711 path switches');
    assert.ok(h.log.records.some((r) => /T\.38 offered/.test(r.msg ?? '')));
    h.clock.advance(FAR_END_GRACE_MS);
    assert.equal(call.reoffers.length, 1);
    assert.match(call.lastReoffer!, /silenceSupp:off/);
  });

  it('audio + T.38 image offered: the image stream is rejected with port 0 (RFC 3264 §6), audio becomes pass-through', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    const r = call.ev.offer(T38_AND_AUDIO);
    assert.ok('sdp' in r);
    const answer = decodeSdp(r.sdp);
    assert.equal(answer.media.length, 2);
    assert.equal(answer.media[0]!.port, 5004);
    assert.equal(answer.media[1]!.type, 'image');
    assert.equal(answer.media[1]!.port, 0);
    assert.equal(media.passThrough, true);
    assert.equal(h.line.active!.fax.state, 'passThrough');
  });

  it('a peer that writes silenceSupp:off on every call is not asking for fax when it refreshes the session', () => {
    const cisco = (v: number): string => sdp(v, 'm=audio 40000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=silenceSupp:off - - - -');
    const h = makeLine();
    const { call, media } = talking(h, cisco(1));
    assert.ok('sdp' in call.ev.offer(cisco(2)));
    assert.equal(media.passThrough, false);
    assert.equal(h.line.active!.fax.state, 'voice');
    // the SDP rule itself
    assert.equal(faxRequest(faxMarks(decodeSdp(cisco(2))), faxMarks(decodeSdp(cisco(1)))), undefined);
    assert.equal(faxRequest(faxMarks(decodeSdp(cisco(2))), faxMarks(decodeSdp(peerSdp(40000)))), 'passThrough');
    assert.equal(faxRequest(faxMarks(decodeSdp(PEER_FAX)), faxMarks(decodeSdp(cisco(1)))), 'passThrough', 'vbd=yes always asks');
    assert.equal(faxRequest(faxMarks(decodeSdp(T38_ONLY)), undefined), 't38');
  });

  it('in pass-through the phone\'s digits are not relayed (RFC 4733 / INFO): they stay in the audio', () => {
    const h = makeLine();
    const { call, media } = talking(h);
    h.phone.dial('5');
    assert.deepEqual(media.digits, ['5']);
    media.hearFax('ans', 'line');
    h.phone.dial('7');
    assert.deepEqual(media.digits, ['5']);
    assert.deepEqual(call.infoDigits, []);
  });

  it('no call waiting over a fax: a second call gets 486', () => {
    const h = makeLine();
    const { media } = talking(h);
    media.hearFax('cng', 'line');
    const second = h.sip.incoming({ number: '1003' });
    assert.equal(second.rejected?.status, 486);
    assert.equal(h.phone.cw, undefined);
  });

  it('P228/P4416 (FXS) and P710/P4417 (FXO) are read per profile', () => {
    const p = new MapParams({ 228: '1', 4416: '0', 710: '0', 4417: '1' });
    assert.deepEqual(readFaxSettings(p, 1), { mode: 'passThrough', reinvite: false });
    assert.deepEqual(readFaxSettings(p, 2), { mode: 't38', reinvite: true });
    assert.deepEqual(readFaxSettings(new MapParams(), 1), { mode: 't38', reinvite: true }, 'HT813 defaults 0 / 1');
  });
});

// ---- FXO gateway ----

class FakeFxo implements FxoPort {
  state: FxoState = 'idle';
  ringCount = 0;
  callerId = undefined;
  linePresent = true;
  readonly audio: LineAudio = { write: () => undefined, onFrame: () => () => undefined };
  on(_l: (e: FxoEvent) => void): () => void {
    return () => undefined;
  }
  seize(): void {
    this.state = 'seized';
  }
  async dial(): Promise<void> {}
  setConnected(): void {
    this.state = 'connected';
  }
  async flash(): Promise<void> {}
  release(): void {
    this.state = 'idle';
  }
}

class FakeAudioSession extends FakeMediaSession {
  readonly port = { readFrame: () => new Int16Array(160), writeFrame: () => undefined };
}

function gateway(params: Record<number, string>) {
  const clock = new FakeClock();
  const sip = new FakeSignalling();
  const sessions: FakeAudioSession[] = [];
  const log = new CapturingLogger();
  const gw = new FxoGateway({
    fxo: new FakeFxo(),
    signalling: sip,
    media: { implementedCodecs: () => ['PCMU', 'PCMA'], create: (a, p) => (sessions.push(new FakeAudioSession(a, p)), sessions[sessions.length - 1]!) },
    mediaClock: new MediaClock(clock),
    params: new MapParams({ 3303: '0', 3206: '0', ...params }),
    clock,
    random: new SeededRandom(1),
    log,
    mediaAddress: '127.0.0.1',
    rtpPort: () => 5012,
    sdpUser: 'ht813',
    accountUser: () => '2000',
  });
  return { clock, sip, sessions, gw, log };
}

describe('fax pass-through: FXO gateway (profile 2)', () => {
  it('VoIP → PSTN: CED from the PSTN line → re-INVITE (P4417 default on); status says fax', () => {
    const r = gateway({ 796: '5551234' });
    const call = r.sip.incoming({ number: '1002' });
    call.ev.answered(undefined);
    assert.equal(r.gw.state, 'bridged');
    assert.equal(r.gw.status().fax, false);
    r.sessions[0]!.hearFax('ans', 'line');
    assert.equal(call.reoffers.length, 1);
    assert.match(call.lastReoffer!, /a=gpmd:0 vbd=yes/);
    assert.equal(r.gw.status().fax, true);
    assert.ok(r.log.records.some((x) => /T\.38 is not available/.test(x.msg ?? '')), 'P710 = 0 (T.38 auto)');
  });

  it('P4417 = 0 and P710 = 1: no re-INVITE, the G.711 path switches; P4416 is not profile 2\'s', () => {
    const r = gateway({ 796: '5551234', 4417: '0', 710: '1', 4416: '1' });
    const call = r.sip.incoming({ number: '1002' });
    call.ev.answered(undefined);
    r.sessions[0]!.hearFax('cng', 'network');
    r.clock.advance(5000);
    assert.equal(call.reoffers.length, 0);
    assert.equal(r.sessions[0]!.passThrough, true);
    assert.equal(r.gw.status().fax, true);
    assert.equal(r.log.records.filter((x) => /T\.38/.test(x.msg ?? '')).length, 0);
  });
});

describe('fax pass-through: web status', () => {
  it('the status page says when a call is in fax pass-through', () => {
    const board = new Map<string, unknown>([
      ['voice.calls', [{ line: 1, state: 'talking', callState: 'InCall', calls: [{ id: '1.1', remote: '1002', state: 'confirmed', held: false, srtp: false, fax: true }] }]],
      ['voice.fxo', { state: 'bridged', direction: 'voipToPstn', remote: '1002', srtp: false, fax: true }],
    ]);
    const view = collectStatus({
      identity: { mac: '000B82A1B2C3', lanMac: '000B82A1B2C4', model: 'HT813', hardwareVersion: '1', firmwareVersion: '1', serialNumber: 's' } as never,
      network: { address: '127.0.0.1' } as never,
      device: { bootTime: () => 0, bootCount: () => 1 } as never,
      status: { get: (k: string) => board.get(k) } as never,
      now: 1000,
    });
    assert.equal(view.ports[0]!.callState, 'InCall (1002) · Fax pass-through');
    assert.equal(view.ports[1]!.callState, 'InCall (VoIP → PSTN, 1002) · Fax pass-through');
  });
});
