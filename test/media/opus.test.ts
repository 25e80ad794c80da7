import assert from 'node:assert/strict';
import { OpusDecoder, OpusEncoder, opusPacketSamples48k } from '../../cpe/media/codecs/opus';
import { OPUS } from '../../cpe/media/codecs/registry';
import { RtpSession } from '../../cpe/media/rtp/rtp-session';
import { memorySocketPair } from '../../cpe/media/rtp/udp-socket';
import { encodeRtp, decodeRtp } from '../../cpe/media/rtp/rtp-packet';
import { MediaClock } from '../../cpe/media/media-clock';
import { BufferPort } from '../../cpe/media/media-port';
import { renderDualTone } from '../../cpe/media/dsp/tone-generator';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { peakToDbm0 } from '../../cpe/media/dsp/audio';
import { DecodeError } from '../../cpe/shared/errors';
import { SeededRandom } from '../../cpe/shared/random';
import { FakeClock } from '../support/fake-clock';
import type { ReceivedEvent } from '../../cpe/media/rtp/telephone-event';

describe('media OPUS (libopus via opusscript, RFC 7587)', () => {
  const toc: [string, number[], number][] = [
    ['SILK NB 20 ms, one frame', [0x08], 960],
    ['SILK WB 60 ms', [0x58], 2880],
    ['CELT FB 2.5 ms', [0xe0], 120],
    ['hybrid SWB 10 ms, two frames (code 1)', [0x61], 960],
    ['CELT NB 20 ms, code 3 with 3 frames', [0x9b, 0x03], 2880],
  ];
  for (const [name, bytes, n] of toc) it(`TOC: ${name} = ${n} samples at 48 kHz`, () => assert.equal(opusPacketSamples48k(Uint8Array.from(bytes)), n));
  it('TOC: empty packets and impossible frame counts are DecodeErrors', () => {
    assert.throws(() => opusPacketSamples48k(new Uint8Array(0)), DecodeError);
    assert.throws(() => opusPacketSamples48k(Uint8Array.of(0x1b, 0x00)), DecodeError);
    assert.throws(() => opusPacketSamples48k(Uint8Array.of(0x1b, 0x3f)), DecodeError); // 63 × 60 ms > 120 ms
  });
  it('encode → decode keeps a tone (narrowband, 20 ms frames)', () => {
    const enc = new OpusEncoder();
    const dec = new OpusDecoder();
    const x = renderDualTone([600], -10, 1000);
    const y = new Int16Array(x.length);
    for (let f = 0; f < 50; f++) {
      const pkt = enc.encode(x.subarray(f * 160, f * 160 + 160));
      assert.equal(opusPacketSamples48k(pkt), 960);
      y.set(dec.decode(pkt), f * 160);
    }
    assert.ok(Math.abs(peakToDbm0(toneAmplitude(y, 2000, 4000, 600)) + 10) < 1);
    enc.close();
    dec.close();
  });
  it('a session at the 48 kHz RTP clock: timestamps step 960 per 20 ms, events use the same clock, audio arrives', () => {
    const clock = new FakeClock();
    let a: RtpSession;
    const stamps: number[] = [];
    const [sa, sb] = memorySocketPair(undefined, undefined, (send, d) => {
      const p = decodeRtp(d);
      if (p.payloadType === 111 && p.ssrc === a.ssrc) stamps.push(p.timestamp);
      send();
    });
    const base = { clock, codec: OPUS, payloadType: 111, eventPayloadType: 101, rtcp: 'off' as const, cname: 't' };
    a = new RtpSession({ ...base, socket: sa, remote: sb.local, random: new SeededRandom(1) });
    const b = new RtpSession({ ...base, socket: sb, remote: sa.local, random: new SeededRandom(2) });
    const got: ReceivedEvent[] = [];
    b.onDigit((e) => got.push(e));
    const mc = new MediaClock(clock);
    const far = new BufferPort();
    mc.connect(new BufferPort(renderDualTone([600], -10, 3000)), a);
    mc.connect(b, far);
    clock.advance(1000);
    a.sendDigit('7', 100);
    clock.advance(1000);
    assert.ok(stamps.slice(1, 10).every((t, i) => ((t - stamps[i]!) >>> 0) === 960));
    assert.deepEqual(got.map((e) => `${e.kind}:${e.digit}`), ['start:7', 'end:7']);
    assert.equal(got[1]!.duration, 8 * 960, 'P28173 = 8 packets of 20 ms at 48 kHz');
    const out = far.output();
    assert.ok(Math.abs(peakToDbm0(toneAmplitude(out, 2400, 4000, 600)) + 10) < 1);
    assert.equal(b.stats.concealedFrames, 0);
    a.close();
    b.close();
    mc.stop();
  });
  it('a garbage OPUS payload is counted and concealed, never thrown', () => {
    const clock = new FakeClock();
    const [sa, sb] = memorySocketPair();
    const b = new RtpSession({ clock, codec: OPUS, payloadType: 111, rtcp: 'off', cname: 't', socket: sb, remote: sa.local, random: new SeededRandom(3) });
    for (let s = 0; s < 10; s++) sa.send(encodeRtp({ payloadType: 111, sequenceNumber: s, timestamp: s * 960, ssrc: 9, payload: s === 5 ? Buffer.from([0x0b]) : Buffer.from([0x08, 0xff, 0xfe, 0x00, 0x13]) }), sb.local);
    sa.send(encodeRtp({ payloadType: 111, sequenceNumber: 10, timestamp: 9600, ssrc: 9, payload: Buffer.alloc(0) }), sb.local);
    for (let i = 0; i < 20; i++) b.readFrame();
    assert.ok(b.stats.dropped.malformed >= 1);
    b.close();
  });
});
