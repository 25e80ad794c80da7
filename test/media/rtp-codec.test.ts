import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeRtp, encodeRtp, looksLikeRtcp } from '../../cpe/media/rtp/rtp-packet';
import { decodeRtcp, encodeRtcp, ntpFromMs, ntpMiddle, type RtcpPacket } from '../../cpe/media/rtp/rtcp-packet';
import { RtpSourceState } from '../../cpe/media/rtp/source-state';
import { decodeTelephoneEvents, encodeTelephoneEvent, TelephoneEventReceiver, TelephoneEventSender } from '../../cpe/media/rtp/telephone-event';
import { DecodeError } from '../../cpe/shared/errors';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('media RTP header codec (RFC 3550 §5.1)', () => {
  it('golden: PCMU packet, marker, seq 0x1234, ts 0xdeadbeef, ssrc 0x01020304', () => {
    const b = hex('80 80 1234 deadbeef 01020304 ffff');
    const p = decodeRtp(b);
    assert.deepEqual({ ...p, payload: [...p.payload] }, { marker: true, payloadType: 0, sequenceNumber: 0x1234, timestamp: 0xdeadbeef, ssrc: 0x01020304, csrcs: [], payload: [0xff, 0xff], padding: 0 });
    assert.deepEqual(encodeRtp(p), b);
  });
  it('CSRCs, header extension and padding round trip', () => {
    const b = encodeRtp({ payloadType: 8, sequenceNumber: 65535, timestamp: 1, ssrc: 2, csrcs: [7, 9], extension: { profile: 0xbede, data: Buffer.from([1, 2, 3, 4]) }, payload: Buffer.from([5, 6, 7]), padding: 4 });
    const p = decodeRtp(b);
    assert.deepEqual(p.csrcs, [7, 9]);
    assert.equal(p.extension?.profile, 0xbede);
    assert.deepEqual([...p.payload], [5, 6, 7]);
    assert.equal(p.padding, 4);
  });
  const bad: [string, string][] = [
    ['short', '8000'],
    ['version 1', '40001234deadbeef01020304'],
    ['CSRC overrun', '8f001234deadbeef01020304'],
    ['bad padding', 'a0001234deadbeef0102030400'],
    ['RTCP-conflicting payload type', '80c81234deadbeef01020304'],
    ['extension overrun', '90001234deadbeef01020304bede0009'],
  ];
  for (const [name, h] of bad) it(`rejects ${name} with DecodeError`, () => assert.throws(() => decodeRtp(hex(h)), DecodeError));
  it('demultiplexes RTCP from RTP (RFC 5761)', () => {
    assert.equal(looksLikeRtcp(hex('80c8')), true);
    assert.equal(looksLikeRtcp(hex('8000')), false);
  });
});

describe('media RTCP codec (RFC 3550 §6)', () => {
  const compound: RtcpPacket[] = [
    { type: 'sr', ssrc: 0x11111111, ntpSec: 0xe0000000, ntpFrac: 0x80000000, rtpTimestamp: 160000, packetCount: 1000, octetCount: 160000, reports: [{ ssrc: 0x22222222, fractionLost: 25, cumulativeLost: -3, highestSeq: 70000, jitter: 42, lsr: 0x12345678, dlsr: 65536 }] },
    { type: 'sdes', chunks: [{ ssrc: 0x11111111, items: [{ type: 1, text: 'ht813@127.0.0.1' }] }] },
    { type: 'bye', ssrcs: [0x11111111], reason: 'hangup' },
  ];
  it('compound SR + SDES + BYE round trip, lengths in 32-bit words', () => {
    const b = encodeRtcp(compound);
    assert.equal(b.length % 4, 0);
    assert.deepEqual(decodeRtcp(b), compound);
  });
  it('golden RR with one report block', () => {
    const b = hex('81c90007 11111111 22222222 19fffffd 00011170 0000002a 12345678 00010000');
    assert.deepEqual(decodeRtcp(b), [{ type: 'rr', ssrc: 0x11111111, reports: [{ ssrc: 0x22222222, fractionLost: 0x19, cumulativeLost: -3, highestSeq: 0x11170, jitter: 42, lsr: 0x12345678, dlsr: 65536 }] }]);
    assert.deepEqual(encodeRtcp(decodeRtcp(b)), b);
  });
  const bad: [string, string][] = [
    ['starting with SDES', '81ca0001 11111111'],
    ['length overrun', '80c90005 11111111'],
    ['version 0', '00c90001 11111111'],
    ['empty', ''],
    ['SR shorter than its count', '81c80006 11111111 00000000 00000000 00000000 00000000 00000000'],
  ];
  for (const [name, h] of bad) it(`rejects ${name} with DecodeError`, () => assert.throws(() => decodeRtcp(hex(h)), DecodeError));
  it('NTP middle 32 bits', () => {
    const n = ntpFromMs(Date.UTC(2026, 0, 1));
    assert.equal(n.sec, Date.UTC(2026, 0, 1) / 1000 + 2208988800);
    assert.equal(ntpMiddle(0x12345678, 0x9abcdef0), 0x56789abc);
  });
});

describe('media RTP source state (RFC 3550 Appendix A)', () => {
  it('probation: valid after 2 sequential packets; loss and fraction counted', () => {
    const s = new RtpSourceState(1, 100);
    assert.equal(s.updateSeq(100), 'probation');
    assert.equal(s.updateSeq(101), 'ok');
    for (const q of [102, 103, 105, 106, 107, 108, 109, 110]) assert.equal(s.updateSeq(q), 'ok'); // 104 lost
    const r = s.reportBlock(0);
    assert.equal(r.cumulativeLost, 1);
    assert.equal(r.highestSeq, 110);
    assert.equal(r.fractionLost, Math.floor((1 << 8) / 10));
  });
  it('sequence wrap extends the cycle count; a big jump is bad until confirmed', () => {
    const s = new RtpSourceState(1, 65534);
    s.updateSeq(65534);
    s.updateSeq(65535);
    assert.equal(s.updateSeq(0), 'ok');
    assert.equal(s.extendedMax, 65536);
    assert.equal(s.updateSeq(30000), 'bad-jump');
    assert.equal(s.updateSeq(30001), 'restart');
  });
  it('jitter estimate (§A.8) grows with arrival variation', () => {
    const s = new RtpSourceState(1, 0);
    for (let i = 0; i < 50; i++) s.updateJitter(i * 160, i * 160 + (i % 2 ? 80 : 0));
    assert.ok(s.jitter > 40 && s.jitter < 90, String(s.jitter));
  });
});

describe('media RFC 4733 telephone-event', () => {
  it('golden payloads (§2.3): digit 5, volume 10, 800 units, then end', () => {
    assert.deepEqual(encodeTelephoneEvent({ event: 5, end: false, volume: 10, duration: 800 }), hex('050a0320'));
    assert.deepEqual(decodeTelephoneEvents(hex('058a0320')), [{ event: 5, end: true, volume: 10, duration: 800 }]);
    assert.throws(() => decodeTelephoneEvents(hex('050a03')), DecodeError);
  });
  it('sender: marker on the first packet, P28173 least packets, P28177 end copies, one timestamp', () => {
    const tx = new TelephoneEventSender({ eventCount: 8, endCount: 3 });
    tx.press('1');
    tx.release(); // a short press
    const pkts = [];
    for (let t = 0; t < 20; t++) pkts.push(...tx.tick(1000 + t * 160));
    assert.equal(pkts.length, 11);
    assert.deepEqual(pkts.map((p) => p.marker), [true, ...Array(10).fill(false)]);
    assert.ok(pkts.every((p) => p.timestamp === 1000));
    const ev = pkts.map((p) => decodeTelephoneEvents(p.payload)[0]!);
    assert.deepEqual(ev.map((e) => e.duration), [160, 320, 480, 640, 800, 960, 1120, 1280, 1280, 1280, 1280]);
    assert.deepEqual(ev.map((e) => e.end), [...Array(8).fill(false), true, true, true]);
    assert.equal(tx.busy, false);
  });
  it('sender: a held key keeps the event going until release', () => {
    const tx = new TelephoneEventSender({ eventCount: 2, endCount: 1 });
    tx.press('#');
    for (let t = 0; t < 10; t++) assert.equal(tx.tick(t * 160).length, 1);
    tx.release();
    const end = tx.tick(1600);
    assert.equal(decodeTelephoneEvents(end[0]!.payload)[0]!.end, true);
    assert.equal(decodeTelephoneEvents(end[0]!.payload)[0]!.duration, 1600);
  });
  it('a key held 10 s: segments of at most 0xFFFF units (§2.5.1.3), and the receiver sees one press', () => {
    const tx = new TelephoneEventSender({ eventCount: 8, endCount: 3 });
    const rx = new TelephoneEventReceiver();
    tx.press('5');
    const got: string[] = [];
    const stamps = new Set<number>();
    for (let t = 0; t < 520; t++) {
      if (t === 500) tx.release();
      for (const p of tx.tick(t * 160)) {
        const ev = decodeTelephoneEvents(p.payload)[0]!;
        assert.ok(ev.duration <= 0xffff);
        stamps.add(p.timestamp);
        rx.receive(p.timestamp, p.payload).forEach((e) => got.push(`${e.kind}:${e.digit}`));
      }
    }
    assert.deepEqual([...stamps], [0, 409 * 160]);
    assert.deepEqual(got, ['start:5', 'end:5']);
  });
  it('receiver: one start and one end per event despite repeats; lost start still yields the digit', () => {
    const rx = new TelephoneEventReceiver();
    const got: string[] = [];
    const feed = (ts: number, h: string): void => rx.receive(ts, hex(h)).forEach((e) => got.push(`${e.kind}:${e.digit}`));
    feed(100, '010a00a0');
    feed(100, '010a0140');
    feed(100, '018a0320');
    feed(100, '018a0320');
    feed(100, '018a0320');
    feed(900, '0b8a0320'); // only the end packets of '#' arrived
    feed(1700, '0a0a00a0');
    feed(2500, '030a00a0'); // new event without an end of the previous one
    feed(2500, '99'); // malformed: counted
    feed(3300, '200a00a0'); // event 32 (not DTMF): counted
    assert.deepEqual(got, ['start:1', 'end:1', 'start:#', 'end:#', 'start:*', 'end:*', 'start:3']);
    assert.equal(rx.stats.malformed, 1);
    assert.equal(rx.stats.unknownEvents, 1);
  });
});

describe('media RFC 4733 golden packets from SIPp (Debian sip-tester pcaps)', () => {
  const G = JSON.parse(readFileSync(path.join(__dirname, '../golden/media/rfc4733-sipp-dtmf.json'), 'utf8')) as {
    pcaps: Record<string, { marker: boolean; seq: number; timestamp: number; payload: string }[]>;
  };
  const digit: Record<string, string> = { '0': '0', '1': '1', '5': '5', '9': '9', star: '*', pound: '#' };
  for (const [name, pkts] of Object.entries(G.pcaps)) {
    it(`dtmf_2833_${name}.pcap: payloads decode, re-encode byte for byte, and give one ${digit[name]}`, () => {
      const rx = new TelephoneEventReceiver();
      const got: string[] = [];
      for (const p of pkts) {
        const ev = decodeTelephoneEvents(hex(p.payload));
        assert.equal(ev.length, 1);
        assert.equal(encodeTelephoneEvent(ev[0]!).toString('hex'), p.payload);
        rx.receive(p.timestamp, hex(p.payload)).forEach((e) => got.push(`${e.kind}:${e.digit}:${e.duration ?? ''}`));
      }
      assert.deepEqual(got, [`start:${digit[name]}:`, `end:${digit[name]}:2240`]);
      assert.equal(pkts[0]!.marker, true);
    });
  }
});
