/**
 * Test plan: DTMF the far end signals out of band, played to the phone. SIP INFO bodies parsed
 * (dtmf-relay with digits and RFC 4733 codes, application/dtmf; bad Signal or Duration named);
 * the tone player phase-continuous and detected as its digit; RtpMediaSession on in-memory
 * sockets and a fake clock: RFC 4733 start → tone until the end packet, a lost end → tone stops
 * after EVENT_SILENCE_MS, an INFO digit → tone for its duration.
 */
import assert from 'node:assert/strict';
import { DtmfDetector, detectDtmf } from '../../cpe/media/dsp/dtmf-detector';
import { DtmfPlayer } from '../../cpe/media/dsp/dtmf-player';
import { renderDtmfTone } from '../../cpe/media/dsp/dtmf-generator';
import { encodeRtp } from '../../cpe/media/rtp/rtp-packet';
import { encodeTelephoneEvent } from '../../cpe/media/rtp/telephone-event';
import { memorySocketPair } from '../../cpe/media/rtp/udp-socket';
import { silentLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { dtmfFromInfo } from '../../cpe/voice/calls/dtmf-info';
import { EVENT_SILENCE_MS, RtpMediaSession } from '../../cpe/voice/calls/rtp-media-session';
import { FakeClock } from '../support/fake-clock';

describe('received DTMF played to the phone', () => {
  it('SIP INFO bodies', () => {
    assert.deepEqual(dtmfFromInfo('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n'), { digit: '5', durationMs: 160 });
    assert.deepEqual(dtmfFromInfo('Application/DTMF-Relay; charset=x', 'signal= #\nduration=90'), { digit: '#', durationMs: 90 });
    assert.deepEqual(dtmfFromInfo('application/dtmf-relay', 'Signal=10'), { digit: '*', durationMs: 250 });
    assert.deepEqual(dtmfFromInfo('application/dtmf-relay', 'Signal=11\nDuration=99999'), { digit: '#', durationMs: 5000 });
    assert.deepEqual(dtmfFromInfo('application/dtmf', ' a '), { digit: 'A', durationMs: 250 });
    assert.equal(dtmfFromInfo('application/media_control+xml', '<x/>'), undefined);
    assert.equal(dtmfFromInfo(undefined, ''), undefined);
    assert.deepEqual(dtmfFromInfo('application/dtmf-relay', 'Duration=100'), { problem: 'Signal missing' });
    assert.deepEqual(dtmfFromInfo('application/dtmf-relay', 'Signal=Z'), { problem: 'Signal "Z" is not a DTMF digit' });
    assert.deepEqual(dtmfFromInfo('application/dtmf-relay', 'Signal=16'), { problem: 'Signal "16" is not a DTMF digit' });
    assert.deepEqual(dtmfFromInfo('application/dtmf-relay', 'Signal=1\nDuration=-5'), { problem: 'Duration "-5" is not a number of milliseconds' });
    assert.deepEqual(dtmfFromInfo('application/dtmf', '12'), { problem: '"12" is not a DTMF digit' });
  });

  it('the player: phase-continuous frames detected as the digit, silent once its time is up', () => {
    const p = new DtmfPlayer();
    p.start('9', 100);
    const frames: Int16Array[] = [];
    for (let t = 0; t < 100; t += 20) frames.push(p.frame(t)!);
    assert.equal(p.frame(100), undefined);
    const all = new Int16Array(frames.length * 160 + 800);
    frames.forEach((f, i) => all.set(f, i * 160));
    assert.equal(detectDtmf(all), '9');
    // no phase jump between frames: the frames are one continuous tone, as the generator renders it
    assert.deepEqual(all.subarray(0, 800), renderDtmfTone('9', 100));
  });

  describe('RtpMediaSession', () => {
    const negotiated = { remoteAddress: '127.0.0.1', remotePort: 40002, sendCodec: { encoding: 'PCMU', payloadType: 0, clockRate: 8000, frameMs: 10 }, receiveCodecs: [], telephoneEventPt: 101, ptimeMs: 20, direction: 'sendrecv' as const };
    async function rig() {
      const clock = new FakeClock();
      const [ours, far] = memorySocketPair({ address: '127.0.0.1', port: 40000 }, { address: '127.0.0.1', port: 40002 });
      const m = new RtpMediaSession('127.0.0.1', 40000, {
        clock,
        random: new SeededRandom(3),
        log: silentLogger,
        bind: async () => ours,
        settings: () => ({ jitter: { mode: 'fixed', length: 'low' }, eventCount: 3, endCount: 3, symmetric: false, rtcp: false, cname: 't' }),
      });
      await m.ready;
      m.update(negotiated);
      const sent: Buffer[] = [];
      far.onMessage((d) => void sent.push(d));
      let seq = 1;
      const event = (digit: number, end: boolean, duration: number) =>
        far.send(encodeRtp({ payloadType: 101, marker: seq === 1, sequenceNumber: seq++, timestamp: 8000, ssrc: 77, payload: encodeTelephoneEvent({ event: digit, end, volume: 10, duration }) }), ours.local);
      /** 20 ms of what the phone hears. */
      const play = (): Int16Array => {
        clock.advance(20);
        return m.port.readFrame();
      };
      const heard = (frames: number): string => {
        const det = new DtmfDetector();
        const out: string[] = [];
        for (let i = 0; i < frames; i++) for (const e of det.push(play())) if (e.endSample === undefined) out.push(e.digit);
        return out.join('');
      };
      return { m, clock, event, play, heard, sent };
    }

    it('RFC 4733: a tone from the start packet to the end packet', async () => {
      const r = await rig();
      r.event(4, false, 160);
      r.event(4, false, 320);
      assert.equal(r.heard(4), '4');
      r.event(4, true, 640);
      r.event(4, true, 640);
      r.play();
      assert.ok(r.play().every((x) => x === 0), 'silence after the end packet');
      r.m.stop();
    });

    it('RFC 4733 with every end packet lost: the tone stops EVENT_SILENCE_MS after the last packet', async () => {
      const r = await rig();
      r.event(2, false, 160);
      r.event(2, false, 320); // a new source needs two packets (RFC 3550 §A.1 probation)
      const t0 = r.clock.now();
      assert.equal(r.heard(5), '2');
      while (r.clock.now() - t0 <= EVENT_SILENCE_MS) r.play();
      assert.ok(r.play().every((x) => x === 0));
      r.m.stop();
    });

    it('an INFO digit sounds for its duration', async () => {
      const r = await rig();
      r.m.playDigit('b', 200);
      assert.equal(r.heard(10), 'B');
      assert.ok(r.play().every((x) => x === 0));
      r.m.playDigit('x', 200); // not a digit: nothing
      assert.ok(r.play().every((x) => x === 0));
      r.m.stop();
    });

    it('a digit sent by SIP INFO is muted from the audio sent, while the phone holds it; then audio flows and the gate disarms', async () => {
      const r = await rig();
      const tone = renderDtmfTone('5', 200);
      const speech = Int16Array.from({ length: 160 }, (_, i) => Math.round(4000 * Math.sin((2 * Math.PI * 1000 * i) / 8000))); // not silence, not DTMF
      const payloads = (): Uint8Array[] => r.sent.splice(0).map((b) => b.subarray(12));
      const silent = (p: Uint8Array) => p.every((b) => b === 0xff || b === 0x7f); // µ-law zero
      r.m.port.writeFrame(tone.subarray(0, 160)); // the key is pressed: the tone goes out until detected
      r.m.muteDigit(100); // the INFO went out
      for (let i = 1; i < 10; i++) {
        r.clock.advance(20);
        r.m.port.writeFrame(tone.subarray(i * 160, (i + 1) * 160)); // 200 ms of key press in all
      }
      const during = payloads();
      assert.equal(during.length, 10);
      assert.ok(!silent(during[0]!), 'the frame before the INFO went out as it was');
      assert.ok(during.slice(1).every(silent), 'the rest of the key press is muted');
      for (let i = 0; i < 3; i++) {
        r.clock.advance(20);
        r.m.port.writeFrame(speech);
      }
      assert.ok(payloads().slice(-2).every((p) => !silent(p)), 'audio flows again once the key is released');
      r.clock.advance(2100);
      r.m.port.writeFrame(speech);
      r.m.port.writeFrame(tone.subarray(0, 160));
      r.clock.advance(20);
      r.m.port.writeFrame(tone.subarray(160, 320));
      assert.ok(payloads().every((p) => !silent(p)), 'after 2 s the gate is off: in-audio DTMF passes untouched');
      r.m.stop();
    });
  });
});
