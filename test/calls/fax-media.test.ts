/*
 * Test plan: the call's media path and fax (RtpMediaSession on in-memory sockets, FakeClock,
 * the 20 ms media clock).
 *  - the phone's CNG burst, written from t0, is reported as 'line' at t0 + 540 ms (the detector's
 *    golden 4240 samples, frame 27); CED from the network as 'network' once 400 ms of it played;
 *  - faxPassThrough(): jitter buffer fixed at 120 ms, a lost packet plays as silence (no PLC),
 *    CN packets play as silence, the SIP INFO DTMF mute is off, detection stops;
 *  - a fax answer that only drops telephone-event keeps the RTP session; a new codec (G.726 →
 *    G.711) continues the stream under the same SSRC, the peer's source still accepted, in pass-through;
 *  - before the switch the same loss is concealed (PLC), as a voice call should be.
 */
import assert from 'node:assert/strict';
import { encodeUlaw } from '../../cpe/media/codecs/g711';
import { renderAns, renderCng } from '../../cpe/media/dsp/fax-tones';
import { MediaClock } from '../../cpe/media/media-clock';
import { BufferPort } from '../../cpe/media/media-port';
import { PCMA, PCMU } from '../../cpe/media/codecs/registry';
import { decodeRtp, encodeRtp, looksLikeRtcp } from '../../cpe/media/rtp/rtp-packet';
import { RtpSession } from '../../cpe/media/rtp/rtp-session';
import { memorySocketPair } from '../../cpe/media/rtp/udp-socket';
import { silentLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { RtpMediaSession } from '../../cpe/voice/calls/rtp-media-session';
import type { NegotiatedMedia } from '../../cpe/voice/sdp/offer-answer';
import { FakeClock } from '../support/fake-clock';

const PCMU_CALL: NegotiatedMedia = {
  remoteAddress: '127.0.0.1',
  remotePort: 40002,
  sendCodec: { encoding: 'PCMU', payloadType: 0, clockRate: 8000, frameMs: 10 },
  receiveCodecs: [],
  telephoneEventPt: 101,
  ptimeMs: 20,
  direction: 'sendrecv',
};

async function rig() {
  const clock = new FakeClock();
  const [ours, far] = memorySocketPair({ address: '127.0.0.1', port: 40000 }, { address: '127.0.0.1', port: 40002 });
  const m = new RtpMediaSession('127.0.0.1', 40000, {
    clock,
    random: new SeededRandom(3),
    log: silentLogger,
    bind: async () => ours,
    settings: () => ({ jitter: { mode: 'adaptive', length: 'medium' }, eventCount: 3, endCount: 3, symmetric: false, rtcp: false, cname: 't' }),
  });
  await m.ready;
  m.update(PCMU_CALL);
  const heard: { tone: string; from: string; ms: number }[] = [];
  const t0 = clock.now();
  m.onFaxTone((tone, from) => heard.push({ tone, from, ms: clock.now() - t0 }));
  let seq = 100;
  /** The far end sends 20 ms of `pcm` now as PCMU (timestamp from the sequence). */
  const send = (pcm: Int16Array, pt = 0): void => {
    const s = seq++;
    far.send(encodeRtp({ payloadType: pt, marker: s === 100, sequenceNumber: s, timestamp: s * 160, ssrc: 0x1234, payload: pt === 13 ? Uint8Array.of(60) : encodeUlaw(pcm) }), ours.local);
  };
  return { clock, m, far, heard, t0, send, skip: () => void seq++ };
}

/** 20 ms frames of `samples`. */
function frames(samples: Int16Array): Int16Array[] {
  const out: Int16Array[] = [];
  for (let i = 0; i < samples.length; i += 160) out.push(samples.slice(i, i + 160));
  return out;
}

const loud = (f: Int16Array): boolean => f.some((v) => Math.abs(v) > 500);

describe('fax: the call media path', () => {
  it('CNG from the phone is reported at t0 + 540 ms; CED from the network once 400 ms of it played', async () => {
    const r = await rig();
    const media = new MediaClock(r.clock);
    media.pipe(new BufferPort(renderCng(1500)), r.m.port);
    r.clock.advance(1000);
    assert.deepEqual(r.heard, [{ tone: 'cng', from: 'line', ms: 540 }]);
    // the far end's CED, one packet per 20 ms; what plays is read every tick
    const ced = frames(renderAns(1000));
    const played: Int16Array[] = [];
    const start = r.clock.now() - r.t0;
    for (let i = 0; i < 60; i++) {
      if (i < ced.length) r.send(ced[i]!);
      r.clock.advance(20);
      played.push(r.m.port.readFrame());
    }
    const firstAudio = played.findIndex(loud);
    const net = r.heard.find((h) => h.from === 'network');
    assert.ok(net, 'CED heard');
    assert.equal(net.tone, 'ans');
    // 400 ms of CED have played: 20 frames after the first one that carried it
    assert.equal(net.ms, start + (firstAudio + 20) * 20);
  });

  it('pass-through: fixed 120 ms jitter buffer, holes and CN play as silence, no DTMF mute, no more detection', async () => {
    const r = await rig();
    const tone = frames(renderAns(2000, { hz: 1000 }));
    r.m.faxPassThrough();
    const jb = r.m.rtpSession!.jitterBuffer;
    assert.equal(jb.mode, 'fixed');
    assert.equal(jb.delayMs, 120);
    const played: Int16Array[] = [];
    for (let i = 0; i < 40; i++) {
      if (i === 20) r.skip(); // packet 20 is lost
      else if (i === 30) r.send(new Int16Array(160), 13); // a CN packet instead of audio
      else r.send(tone[i]!);
      r.clock.advance(20);
      played.push(r.m.port.readFrame());
    }
    r.clock.advance(200);
    for (let i = 0; i < 10; i++) played.push(r.m.port.readFrame());
    const first = played.findIndex(loud);
    assert.ok(first >= 6, `120 ms of preroll (${first} frames)`);
    // the lost packet and the CN packet are exact silence, their neighbours audio
    assert.ok(played[first + 20]!.every((v) => v === 0), 'lost packet: silence, not PLC');
    assert.ok(loud(played[first + 19]!) && loud(played[first + 21]!));
    assert.ok(played[first + 30]!.every((v) => v === 0), 'CN: silence');
    assert.equal(r.m.stats!.concealedFrames, 0);
    // the SIP INFO mute does nothing now: the phone's audio goes out as it is
    r.m.muteDigit(100);
    const sent: number[] = [];
    r.far.onMessage((d) => void sent.push(d.length));
    r.m.port.writeFrame(tone[0]!);
    assert.equal(sent.length, 1);
    // no more detection: a CNG burst from the phone is fax audio now
    for (const f of frames(renderCng(1000))) {
      r.m.port.writeFrame(f);
      r.clock.advance(20);
    }
    assert.deepEqual(r.heard, []);
  });

  it('the same loss in a voice call is concealed (PLC)', async () => {
    const r = await rig();
    const tone = frames(renderAns(2000, { hz: 1000 }));
    for (let i = 0; i < 30; i++) {
      if (i === 20) r.skip();
      else r.send(tone[i]!);
      r.clock.advance(20);
      r.m.port.readFrame();
    }
    r.clock.advance(200);
    for (let i = 0; i < 10; i++) r.m.port.readFrame();
    assert.ok(r.m.stats!.concealedFrames >= 1);
  });

  it('a fax answer that only drops telephone-event keeps the RTP session as it is', async () => {
    const r = await rig();
    const before = r.m.rtpSession;
    const { telephoneEventPt: _, ...noEvents } = PCMU_CALL;
    r.m.update(noEvents);
    assert.equal(r.m.rtpSession, before);
  });

  it('a new codec (G.726 → G.711 re-INVITE) continues the RTP stream: same SSRC, the peer stays accepted, pass-through kept', async () => {
    const r = await rig();
    const tone = frames(renderAns(2000, { hz: 1000 }));
    for (let i = 0; i < 10; i++) {
      r.send(tone[i]!);
      r.clock.advance(20);
      r.m.port.readFrame();
    }
    r.m.faxPassThrough();
    const before = r.m.rtpSession!;
    const sent: Buffer[] = [];
    r.far.onMessage((d) => void sent.push(d));
    r.m.update({ ...PCMU_CALL, sendCodec: { encoding: 'PCMA', payloadType: 8, clockRate: 8000, frameMs: 10 } });
    const after = r.m.rtpSession!;
    assert.notEqual(after, before);
    assert.equal(after.ssrc, before.ssrc, 'RFC 3550 §5.1: the payload type changes within the source');
    assert.equal(after.jitterBuffer.mode, 'fixed');
    assert.equal(after.jitterBuffer.delayMs, 120);
    // the peer's packets are taken at once (no probation, no 500 ms refusal of a "new" source)
    for (let i = 10; i < 20; i++) {
      r.send(tone[i]!);
      r.clock.advance(20);
      r.m.port.readFrame();
    }
    assert.equal(after.stats.received.packets, 10);
    assert.equal(after.stats.dropped.ssrcMismatch, 0);
    r.m.port.writeFrame(tone[0]!);
    assert.equal(sent[0]!.readUInt32BE(8), before.ssrc);
    assert.equal(sent[0]![1]! & 0x7f, 8, 'PCMA now');
  });

  it('RtpSession: a session that continues another keeps SSRC, sequence and timestamp; the old one closes without BYE', () => {
    const clock = new FakeClock();
    const [a, b] = memorySocketPair();
    const got: Buffer[] = [];
    b.onMessage((d) => void got.push(d));
    const base = { socket: a, remote: b.local, rtcp: 'mux' as const, clock, random: new SeededRandom(9), cname: 'c' };
    const first = new RtpSession({ ...base, codec: PCMU });
    first.writeFrame(new Int16Array(160));
    const second = new RtpSession({ ...base, codec: PCMA, continues: first });
    first.close('media changed', false);
    second.writeFrame(new Int16Array(160));
    assert.equal(got.length, 2, 'two RTP packets, no RTCP BYE between them');
    assert.ok(got.every((d) => !looksLikeRtcp(d)));
    const [p1, p2] = got.map((d) => decodeRtp(d));
    assert.equal(p2!.ssrc, p1!.ssrc);
    assert.equal(p2!.sequenceNumber, (p1!.sequenceNumber + 1) & 0xffff);
    assert.equal(p2!.timestamp, (p1!.timestamp + 160) >>> 0);
    assert.deepEqual([p1!.payloadType, p2!.payloadType], [0, 8]);
    second.close();
    assert.ok(looksLikeRtcp(got[2]!), 'a plain close still says BYE');
  });
});
