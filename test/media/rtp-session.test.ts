/**
 * Test plan: two RtpSessions joined by an in-memory socket pair under a FakeClock, each driven by
 * the 20 ms MediaClock through BufferPorts. Checks: audio arrives at level; loss and reordering
 * through the jitter buffer (PLC fills, reordered packets still play); RFC 4733 digits end to
 * end; RTCP SR/RR with loss; hostile input dropped and counted; no timers when idle.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fake-clock';
import { SeededRandom } from '../../cpe/shared/random';
import { RtpSession, type RtpSessionOptions } from '../../cpe/media/rtp/rtp-session';
import { memorySocketPair, type UdpSocket } from '../../cpe/media/rtp/udp-socket';
import { encodeRtp } from '../../cpe/media/rtp/rtp-packet';
import { MediaClock } from '../../cpe/media/media-clock';
import { BufferPort } from '../../cpe/media/media-port';
import { ConferenceMixer } from '../../cpe/media/mixer';
import { DtmfRelay, chooseDtmfMethod, dtmfMethodOrder } from '../../cpe/media/dtmf-methods';
import { PCMA, PCMU, G726_32, offerableCodecs, codecByName } from '../../cpe/media/codecs/registry';
import { renderDualTone } from '../../cpe/media/dsp/tone-generator';
import { renderDtmf } from '../../cpe/media/dsp/dtmf-generator';
import { detectDtmf } from '../../cpe/media/dsp/dtmf-detector';
import { peakToDbm0, rms } from '../../cpe/media/dsp/audio';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { JitterBuffer } from '../../cpe/media/jitter-buffer';
import type { ReceivedEvent } from '../../cpe/media/rtp/telephone-event';

type Deliver = (send: () => void, data: Uint8Array) => void;

function pair(clock: FakeClock, deliver?: Deliver, extra: Partial<RtpSessionOptions> = {}): { a: RtpSession; b: RtpSession; sa: UdpSocket; sb: UdpSocket } {
  const [sa, sb] = memorySocketPair(undefined, undefined, deliver);
  const base = { clock, codec: PCMU, eventPayloadType: 101, rtcp: 'mux' as const, cname: 'test', ...extra };
  const a = new RtpSession({ ...base, socket: sa, remote: sb.local, random: new SeededRandom(1) });
  const b = new RtpSession({ ...base, socket: sb, remote: sa.local, random: new SeededRandom(2) });
  return { a, b, sa, sb };
}

const tone1k = (ms: number): Int16Array => renderDualTone([1000], -10, ms);

describe('media RTP session over the media clock', () => {
  it('carries G.711 audio at level, with the jitter buffer delay and no loss', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock);
    const { a, b } = pair(clock);
    const src = new BufferPort(tone1k(2000));
    const dst = new BufferPort();
    mc.connect(src, a);
    mc.connect(b, dst);
    clock.advance(2400);
    const out = dst.output();
    const lvl = peakToDbm0(toneAmplitude(out, 8000, 4000, 1000));
    assert.ok(Math.abs(lvl + 10) < 0.5, `level ${lvl}`);
    assert.equal(b.receiveSource?.lost, 0);
    assert.equal(b.stats.concealedFrames, 0);
    assert.equal(a.stats.sent.packets, 120);
    mc.stop();
  });

  for (const codec of [PCMA, G726_32]) {
    it(`${codec.name}: audio survives the codec`, () => {
      const clock = new FakeClock();
      const mc = new MediaClock(clock);
      const { a, b } = pair(clock, undefined, { codec });
      const src = new BufferPort(tone1k(1000));
      const dst = new BufferPort();
      mc.connect(src, a);
      mc.connect(b, dst);
      clock.advance(1200);
      assert.ok(toneAmplitude(dst.output(), 2400, 2400, 1000) > 0.8 * toneAmplitude(tone1k(300), 0, 2400, 1000));
      mc.stop();
    });
  }

  it('5 % loss and reordering: reordered packets still play, losses are concealed, output stays continuous', () => {
    const clock = new FakeClock();
    const rnd = new SeededRandom(9);
    const deliver: Deliver = (send) => {
      const r = rnd.float();
      if (r < 0.05) return; // lost
      if (r < 0.15) clock.setTimer(30, send); // late by 30 ms: overtaken by the next packet
      else send();
    };
    const mc = new MediaClock(clock);
    const { a, b } = pair(clock, deliver, { jitter: { mode: 'fixed', length: 'medium' } });
    const src = new BufferPort(tone1k(4000));
    const dst = new BufferPort();
    mc.connect(src, a);
    mc.connect(b, dst);
    clock.advance(4200);
    const jb = b.jitterBuffer.stats;
    assert.equal(jb.late, 0, 'a 30 ms reorder fits in the 80 ms fixed buffer');
    assert.ok(jb.lost > 0 && b.stats.concealedFrames > 0);
    const out = dst.output();
    // every 20 ms window after start-up has the tone (PLC bridged the holes)
    for (let i = 1600; i + 160 < 4000 * 8; i += 160) assert.ok(rms(out, i, 160) > 1000, `gap at ${i / 8} ms`);
    assert.ok((b.receiveSource?.lost ?? 0) > 0);
    mc.stop();
  });

  it('RFC 4733 digits go end to end and audio pauses during the event', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock);
    const { a, b } = pair(clock);
    const got: ReceivedEvent[] = [];
    b.onDigit((e) => got.push(e));
    mc.connect(new BufferPort(tone1k(3000)), a);
    mc.connect(b, new BufferPort());
    clock.advance(200);
    a.sendDigit('5', 100);
    a.sendDigit('#', 100);
    clock.advance(1000);
    assert.deepEqual(got.map((e) => `${e.kind}:${e.digit}`), ['start:5', 'end:5', 'start:#', 'end:#']);
    assert.equal(got[1]!.duration, 1280);
    assert.equal(a.stats.sent.events, 2 * (8 + 3));
    assert.equal(b.stats.concealedFrames, 0, 'the audio gap under an event is silence, not loss');
    mc.stop();
  });

  it('P50 VAD: silence is replaced by one RFC 3389 CN packet, the receiver plays comfort noise, speech resumes with the marker', () => {
    const clock = new FakeClock();
    const sent: { pt: number; marker: boolean; ssrc: number }[] = [];
    const { a, b } = pair(
      clock,
      (send, d) => {
        if (d[1]! < 192) sent.push({ pt: d[1]! & 0x7f, marker: (d[1]! & 0x80) !== 0, ssrc: Buffer.from(d).readUInt32BE(8) });
        send();
      },
      { vad: true, cnPayloadType: 13 },
    );
    const noise = new SeededRandom(3);
    const quiet = Int16Array.from({ length: 8000 }, () => Math.round((noise.float() - 0.5) * 40)); // ≈ −63 dBm0
    const input = new Int16Array(16000);
    input.set(tone1k(500), 0);
    input.set(quiet, 4000);
    input.set(tone1k(500), 12000);
    const mc = new MediaClock(clock);
    const dst = new BufferPort();
    mc.connect(new BufferPort(input), a);
    mc.connect(b, dst);
    clock.advance(2000);
    const fromA = sent.filter((p) => p.ssrc === a.ssrc);
    const cn = fromA.filter((p) => p.pt === 13).length;
    assert.equal(cn, 1, 'one CN packet for a 1 s silence');
    const audio = fromA.filter((p) => p.pt === 0);
    assert.ok(audio.length < 70, `audio packets ${audio.length}: silence suppressed`);
    assert.equal(audio.filter((p) => p.marker).length, 2, 'marker at the first talkspurt and when speech resumes');
    assert.equal(b.stats.received.cn, 1);
    assert.equal(b.stats.concealedFrames, 0, 'silence is comfort noise, not loss');
    const out = dst.output();
    const mid = rms(out, 6400, 4000);
    assert.ok(mid > 3 && mid < 40, `comfort noise at the sender's level (rms ${mid.toFixed(1)})`);
    assert.ok(toneAmplitude(out, 13600, 1600, 1000) > 5000, 'speech after the silence');
    mc.stop();
  });

  it('RTCP: SR from the sender, RR back with the loss it saw', () => {
    const clock = new FakeClock();
    let n = 0;
    const mc = new MediaClock(clock);
    const { a, b } = pair(clock, (send, d) => {
      if (d[1] === 0x00 || d[1] === 0x80) n++;
      if (n % 10 !== 5 || d[1]! >= 192) send(); // every tenth RTP packet lost
    });
    mc.connect(new BufferPort(tone1k(20000)), a);
    mc.connect(b, new BufferPort());
    a.start();
    b.start();
    clock.advance(16_000);
    assert.ok(a.stats.sent.rtcp >= 2 && b.stats.received.rtcp >= 2);
    const rr = a.remoteReport!;
    assert.ok(rr.cumulativeLost > 50, `lost ${rr.cumulativeLost}`);
    assert.ok(rr.lsr !== 0, 'the receiver echoes our last SR');
    a.close();
    b.close();
    mc.stop();
    assert.equal(clock.timerCount, 0, 'closed sessions and a stopped clock leave no timers');
  });

  it('hostile input is dropped and counted, never thrown', () => {
    const clock = new FakeClock();
    const { b, sa } = pair(clock);
    const send = (d: Uint8Array): void => sa.send(d, { address: '127.0.0.1', port: 40002 });
    const rtp = (pt: number, seq: number, ssrc = 7): Buffer => encodeRtp({ payloadType: pt, sequenceNumber: seq, timestamp: seq * 160, ssrc, payload: Buffer.alloc(160, 0xff) });
    send(Buffer.from([1, 2, 3]));
    send(Buffer.from('garbage that is long enough to look like a header'));
    for (let s = 0; s < 5; s++) send(rtp(0, s)); // valid source 7
    send(rtp(96, 5)); // unknown payload type
    send(rtp(0, 6, 99)); // another SSRC while 7 is live
    send(rtp(0, 40000)); // sequence jump
    send(Buffer.from([0x80, 0xc9, 0x00, 0x09])); // truncated RTCP (mux)
    send(rtp(101, 9).subarray(0, 14)); // event packet with a broken payload
    assert.equal(b.stats.dropped.malformed, 2);
    assert.equal(b.stats.dropped.unknownPayloadType, 1);
    assert.equal(b.stats.dropped.ssrcMismatch, 1);
    assert.equal(b.stats.dropped.badSequence, 1);
    assert.equal(b.stats.dropped.rtcpMalformed, 1);
    assert.equal(b.receiveSource?.ssrc, 7);
    // after the first source falls silent a new SSRC is accepted (after probation)
    clock.advance(1000);
    send(rtp(0, 100, 55));
    send(rtp(0, 101, 55));
    assert.equal(b.receiveSource?.ssrc, 55);
  });
});

describe('media jitter buffer (P133/P132)', () => {
  it('adaptive mode grows its delay when packets arrive late', () => {
    const jb = new JitterBuffer('adaptive', 'medium');
    const start = jb.delayMs;
    let ts = 0;
    for (let i = 0; i < 100; i++) {
      jb.put({ timestamp: ts, marker: i === 0, payloadType: 0, payload: new Uint8Array(160), samples: 160 }, i * 160 + (i % 5 === 0 ? 600 : 0));
      ts += 160;
      jb.take();
    }
    assert.ok(jb.delayMs > start, `${jb.delayMs} > ${start}`);
    assert.ok(jb.delayMs <= 200);
  });
  it('adaptive mode re-anchors at a talkspurt start and drops a frame when it runs too deep', () => {
    const pkt = (ts: number, marker = false) => ({ timestamp: ts, marker, payloadType: 0, payload: new Uint8Array(160), samples: 160 });
    const jb = new JitterBuffer('adaptive', 'low');
    jb.put(pkt(0, true), 0);
    for (let i = 0; i < 5; i++) jb.take();
    // silence (buffer empty), then a new talkspurt 2 s later in RTP time
    for (let i = 0; i < 50; i++) jb.take();
    jb.put(pkt(24000, true), 24000);
    assert.equal(jb.stats.resyncs, 1);
    // a burst of 400 ms arrives at once: the buffer runs deep, one frame is dropped per second
    for (let i = 1; i <= 20; i++) jb.put(pkt(24000 + i * 160), 24000);
    for (let i = 0; i < 60; i++) {
      jb.put(pkt(24000 + (21 + i) * 160), 24000 + i * 160);
      jb.take();
    }
    assert.ok(jb.stats.dropped >= 1, `dropped ${jb.stats.dropped}`);
  });
  it('reordered packets leave in timestamp order; a duplicate is refused; a hole is a gap, then the late packet is dropped', () => {
    const pkt = (ts: number) => ({ timestamp: ts, marker: ts === 0, payloadType: 0, payload: Uint8Array.of(ts / 160), samples: 160 });
    const jb = new JitterBuffer('fixed', 'low'); // 40 ms: two frames of preroll
    for (const ts of [0, 480, 160, 800]) assert.equal(jb.put(pkt(ts), 0), 'queued');
    assert.equal(jb.put(pkt(160), 0), 'duplicate');
    assert.equal(jb.size, 4);
    const out: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = jb.take();
      out.push(r === undefined ? '-' : 'packet' in r ? String(r.packet.payload[0]) : r.reason);
    }
    assert.deepEqual(out, ['preroll', 'preroll', '0', '1', 'lost', '3', 'lost', '5']);
    assert.equal(jb.put(pkt(320), 0), 'late');
    assert.equal(jb.stats.duplicate, 1);
  });
  it('fixed mode keeps its delay and counts late packets', () => {
    const jb = new JitterBuffer('fixed', 'low');
    jb.put({ timestamp: 0, marker: true, payloadType: 0, payload: new Uint8Array(160), samples: 160 }, 0);
    for (let i = 0; i < 10; i++) jb.take();
    assert.equal(jb.put({ timestamp: 160, marker: false, payloadType: 0, payload: new Uint8Array(160), samples: 160 }, 1600), 'late');
    assert.equal(jb.delayMs, 40);
  });
  it('fixDelay (fax pass-through): fixed at 120 ms mid-call, one gap deepens it, late packets no longer move it', () => {
    const pkt = (i: number) => ({ timestamp: i * 160, marker: i === 0, payloadType: 0, payload: Uint8Array.of(i), samples: 160 });
    const jb = new JitterBuffer('adaptive', 'low'); // 40 ms
    const out: string[] = [];
    const step = (i: number): void => {
      jb.put(pkt(i), i * 160);
      const r = jb.take();
      out.push(r === undefined ? '-' : 'packet' in r ? String(r.packet.payload[0]) : r.reason);
    };
    for (let i = 0; i < 6; i++) step(i);
    jb.fixDelay(120);
    assert.equal(jb.mode, 'fixed');
    assert.equal(jb.delayMs, 120);
    for (let i = 6; i < 14; i++) step(i);
    // 40 ms deep before (2 frames of preroll), 120 after: a gap of four 20 ms frames once (pass-through plays it silent), then in order
    assert.deepEqual(out, ['preroll', 'preroll', '0', '1', '2', '3', 'lost', 'lost', 'lost', 'lost', '4', '5', '6', '7']);
    assert.equal(jb.put(pkt(2), 14 * 160 + 4000), 'late');
    assert.equal(jb.delayMs, 120, 'no adaptation once fixed');
  });
});

describe('media clock, conference mixer, DTMF methods, codec registry', () => {
  it('the media clock ticks on a 20 ms grid and keeps no timer when idle', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock);
    assert.equal(clock.timerCount, 0);
    const ticks: number[] = [];
    const off = mc.onTick(() => ticks.push(clock.now()));
    clock.advance(100);
    assert.equal(ticks.length, 5);
    assert.ok(ticks.every((t, i) => i === 0 || t - ticks[i - 1]! === 20));
    off();
    assert.equal(clock.timerCount, 0);
  });
  it('3-party conference: each party hears the other two, never itself', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock);
    const mix = new ConferenceMixer(3);
    const freqs = [500, 1000, 1500];
    const ports = freqs.map((f) => new BufferPort(renderDualTone([f], -15, 1000)));
    ports.forEach((p, i) => mc.connect(p, mix.join(`p${i}`)));
    mc.onTick(() => mix.tick());
    clock.advance(600);
    ports.forEach((p, i) => {
      const out = p.output();
      freqs.forEach((f, j) => {
        const a = toneAmplitude(out, 1600, 1600, f);
        if (i === j) assert.ok(a < 50, `party ${i} hears itself (${a})`);
        else assert.ok(a > 1000, `party ${i} misses party ${j} (${a})`);
      });
    });
    assert.throws(() => mix.join('p3'), RangeError);
  });
  it('DTMF method priority from P850/P851/P852', () => {
    assert.deepEqual(dtmfMethodOrder('101', '102', '100'), ['rfc2833', 'sip-info', 'in-audio']);
    assert.equal(chooseDtmfMethod(dtmfMethodOrder(101, 102, 100), { rfc2833: false, sipInfo: true }), 'sip-info');
    assert.equal(chooseDtmfMethod(dtmfMethodOrder(101, 102, 100), { rfc2833: false, sipInfo: false }), 'in-audio');
    assert.equal(chooseDtmfMethod(dtmfMethodOrder(100, 101, 102), { rfc2833: true, sipInfo: true }), 'in-audio');
  });
  it('DtmfRelay turns phone DTMF into RFC 4733 and removes it from the audio', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock);
    const { a, b } = pair(clock);
    const got: string[] = [];
    b.onDigit((e) => e.kind === 'start' && got.push(e.digit));
    const phone = new BufferPort(renderDtmf('159', { onMs: 120, offMs: 120 }));
    const relay = new DtmfRelay(a, 'rfc2833', { press: (d) => a.pressDigit(d), release: () => a.releaseDigit() });
    const far = new BufferPort();
    mc.connect(phone, relay);
    mc.connect(b, far);
    clock.advance(1600);
    assert.deepEqual(got, ['1', '5', '9']);
    assert.equal(detectDtmf(far.output()), '', 'no DTMF left in the audio');
    mc.stop();
  });
  it('DtmfRelay with SIP INFO: digits and their durations go to the callback, not into the audio', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock);
    const far = new BufferPort();
    const infos: string[] = [];
    const relay = new DtmfRelay(far, 'sip-info', { info: (d, ms) => infos.push(`${d}:${Math.round(ms / 20) * 20}`) });
    mc.connect(new BufferPort(renderDtmf('*0', { onMs: 200, offMs: 200 })), relay);
    clock.advance(1200);
    assert.deepEqual(infos.map((x) => x.split(':')[0]), ['*', '0']);
    assert.ok(infos.every((x) => Math.abs(Number(x.split(':')[1]) - 200) <= 40), infos.join(' '));
    assert.equal(detectDtmf(far.output()), '');
    mc.stop();
  });
  it('DtmfRelay in-audio leaves the tones in the audio', () => {
    const clock = new FakeClock();
    const mc = new MediaClock(clock);
    const far = new BufferPort();
    mc.connect(new BufferPort(renderDtmf('42')), new DtmfRelay(far, 'in-audio', {}));
    clock.advance(600);
    assert.equal(detectDtmf(far.output()), '42');
    mc.stop();
  });
  it('the registry offers only implemented codecs, in vocoder order', () => {
    assert.deepEqual(offerableCodecs([0, 8, 4, 18, 2, 97, 123]).map((c) => c.name), ['PCMU', 'PCMA', 'G726-32', 'opus']);
    assert.deepEqual(offerableCodecs([18, 8, 8]).map((c) => c.name), ['PCMA']);
    assert.equal(codecByName('g729'), undefined);
    assert.equal(codecByName('pcmu')?.payloadType, 0);
  });
});
