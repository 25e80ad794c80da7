/**
 * Hostile input: random mutations of valid wire data. Decoders fail only with DecodeError;
 * the RTP session, caller ID receiver and DTMF receiver never throw and count what they drop.
 */
import assert from 'node:assert/strict';
import { SeededRandom } from '../../cpe/shared/random';
import { DecodeError } from '../../cpe/shared/errors';
import { decodeRtp, encodeRtp } from '../../cpe/media/rtp/rtp-packet';
import { decodeRtcp, encodeRtcp } from '../../cpe/media/rtp/rtcp-packet';
import { decodeTelephoneEvents } from '../../cpe/media/rtp/telephone-event';
import { decodeCidMessage, encodeCidMessage, callerIdToMdmf } from '../../cpe/media/callerid/cid-message';
import { decodeCn } from '../../cpe/media/codecs/cn';
import { decodeWav, encodeWav } from '../../cpe/media/dsp/wav';
import { opusPacketSamples48k } from '../../cpe/media/codecs/opus';
import { RtpSession } from '../../cpe/media/rtp/rtp-session';
import { memorySocketPair } from '../../cpe/media/rtp/udp-socket';
import { PCMU, G726_32, OPUS } from '../../cpe/media/codecs/registry';
import { CidReceiver } from '../../cpe/media/callerid/cid-receiver';
import { FakeClock } from '../support/fake-clock';

function mutate(r: SeededRandom, src: Buffer): Buffer {
  const b = Buffer.from(src);
  const kind = r.int(4);
  if (kind === 0 && b.length > 0) return b.subarray(0, r.int(b.length)); // truncate
  if (kind === 1) return Buffer.concat([b, r.bytes(r.int(16))]); // extend
  const n = 1 + r.int(4);
  for (let i = 0; i < n && b.length > 0; i++) b[r.int(b.length)] = r.int(256); // flip bytes
  return b;
}

const seeds: [string, (b: Buffer) => unknown, Buffer][] = [
  ['RTP', decodeRtp, encodeRtp({ payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [4], extension: { profile: 0xbede, data: Buffer.alloc(4) }, payload: Buffer.alloc(20), padding: 3 })],
  ['RTCP', decodeRtcp, encodeRtcp([{ type: 'sr', ssrc: 1, ntpSec: 2, ntpFrac: 3, rtpTimestamp: 4, packetCount: 5, octetCount: 6, reports: [{ ssrc: 7, fractionLost: 1, cumulativeLost: 2, highestSeq: 3, jitter: 4, lsr: 5, dlsr: 6 }] }, { type: 'sdes', chunks: [{ ssrc: 1, items: [{ type: 1, text: 'a@b' }] }] }, { type: 'bye', ssrcs: [1], reason: 'x' }])],
  ['telephone-event', decodeTelephoneEvents, Buffer.from('058a0320', 'hex')],
  ['caller ID', (b) => decodeCidMessage(b), encodeCidMessage(callerIdToMdmf({ dateTime: '01020304', number: '123', name: 'N' }))],
  ['comfort noise', decodeCn, Buffer.from([40, 100, 150])],
  ['WAV', decodeWav, encodeWav(new Int16Array(8))],
  ['OPUS TOC', opusPacketSamples48k, Buffer.from([0x1b, 0x02])],
];

describe('media fuzz: decoders and receivers under random mutation', () => {
  for (const [name, decode, seed] of seeds) {
    it(`${name}: 20,000 mutations give a value or a DecodeError, nothing else`, () => {
      const r = new SeededRandom(name.length);
      for (let i = 0; i < 20_000; i++) {
        const b = mutate(r, seed);
        try {
          decode(b);
        } catch (e) {
          if (!(e instanceof DecodeError)) assert.fail(`${name}: ${String(e)} on ${b.toString('hex')}`);
        }
      }
    });
  }
  for (const codec of [PCMU, G726_32, OPUS]) {
    it(`RtpSession (${codec.name}) takes 8,000 hostile datagrams without throwing and keeps playing`, () => {
      const clock = new FakeClock();
      const [sa, sb] = memorySocketPair();
      const rx = new RtpSession({ clock, codec, payloadType: codec.payloadType, eventPayloadType: 101, rtcp: 'mux', cname: 'f', socket: sb, remote: sa.local, random: new SeededRandom(1) });
      const r = new SeededRandom(77);
      const valid = (seq: number, pt: number): Buffer => encodeRtp({ payloadType: pt, sequenceNumber: seq, timestamp: seq * 160, ssrc: 5, payload: pt === 101 ? Buffer.from('018a0320', 'hex') : pt === OPUS.payloadType ? Buffer.from([0x08, 1, 2, 3]) : Buffer.alloc(160, 0x55) });
      for (let i = 0; i < 8_000; i++) {
        const pt = [codec.payloadType, 101, 13, 96][r.int(4)]!;
        sa.send(r.int(3) === 0 ? valid(i, pt) : mutate(r, valid(i, pt)), sb.local);
        if (i % 8 === 0) {
          clock.advance(20);
          assert.equal(rx.readFrame().length, 160);
        }
      }
      const d = rx.stats.dropped;
      assert.ok(d.malformed + d.badSequence + d.ssrcMismatch + d.unknownPayloadType + d.rtcpMalformed > 400);
      rx.close();
    });
  }
  it('caller ID receiver on 10 s of random noise and clipped bursts: no throw, no message', () => {
    const r = new SeededRandom(5);
    const rx = new CidReceiver('bell202', { minDbm0: -60 });
    let got = 0;
    for (let f = 0; f < 500; f++) {
      const x = Int16Array.from({ length: 160 }, () => (r.int(10) === 0 ? 32767 * (r.int(2) ? 1 : -1) : r.int(65536) - 32768));
      got += rx.push(x).length;
    }
    assert.equal(got, 0);
  });
});
