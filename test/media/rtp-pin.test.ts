/**
 * Test plan: socket pinning (a connected UDP socket) on real loopback sockets, with the session
 * on a fake clock. A peer sending from the address we send to gets the socket pinned; the kernel
 * then drops a third party's packets; after 500 ms of silence from the peer the pin is released
 * and a new source is accepted (RFC 3550 §8.2 switch rule); a peer behind a NAT (source ≠ SDP
 * address) is never pinned and still heard; close() releases the pin. Ordering on loopback is
 * FIFO per receiving socket, so "not delivered" is checked by a later packet that was.
 * Also: G.711 packets written straight into the packet equal the generic encoder's, byte for byte.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fake-clock';
import { SeededRandom } from '../../cpe/shared/random';
import { RtpSession } from '../../cpe/media/rtp/rtp-session';
import { bindUdp, memorySocketPair, type UdpAddress, type UdpSocket } from '../../cpe/media/rtp/udp-socket';
import { encodeRtp, decodeRtp } from '../../cpe/media/rtp/rtp-packet';
import { PCMA, PCMU } from '../../cpe/media/codecs/registry';
import { encodeAlaw, encodeUlaw } from '../../cpe/media/codecs/g711';
import { renderDualTone } from '../../cpe/media/dsp/tone-generator';
import { FramePool } from '../../cpe/media/dsp/frame-pool';

const rtp = (seq: number, ssrc: number): Buffer => encodeRtp({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc, payload: Buffer.alloc(160, 0xff) });

/** A socket whose pin() calls are recorded and whose datagrams can be awaited. */
interface Watched {
  sock: UdpSocket;
  pins: (UdpAddress | undefined)[];
  sources: string[];
  /** Sends RTP packets seq from..to (SSRC `ssrc`) from `from`, each awaited until it arrived. */
  feed(from: UdpSocket, first: number, last: number, ssrc: number): Promise<void>;
}

async function watched(): Promise<Watched> {
  // an explicit port, as the unit binds its RTP ports (an ephemeral one cannot be pinned)
  let inner: UdpSocket | undefined;
  for (let port = 30000 + 2 * Math.floor(Math.random() * 10000); !inner; port += 2) inner = await bindUdp('127.0.0.1', port).catch(() => undefined);
  const bound = inner;
  const pins: (UdpAddress | undefined)[] = [];
  const sources: string[] = [];
  let waiter: (() => void) | undefined;
  let handler: ((d: Buffer, f: UdpAddress) => void) | undefined;
  bound.onMessage((d, f) => {
    sources.push(`${f.port}`);
    handler?.(d, f);
    const w = waiter;
    waiter = undefined;
    w?.();
  });
  const sock: UdpSocket = {
    local: bound.local,
    send: (d, to) => bound.send(d, to),
    onMessage: (h) => (handler = h),
    pin: (p) => {
      pins.push(p);
      bound.pin!(p);
    },
    close: () => bound.close(),
  };
  const feed = async (from: UdpSocket, first: number, last: number, ssrc: number): Promise<void> => {
    for (let seq = first; seq <= last; seq++) {
      const got = new Promise<void>((r) => (waiter = r));
      from.send(rtp(seq, ssrc), sock.local);
      await got;
    }
  };
  return { sock, pins, sources, feed };
}

describe('media RTP socket pinning (connected UDP)', () => {
  const open: UdpSocket[] = [];
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });

  it('pins to a symmetric peer, drops a third party while pinned, unpins after 500 ms of silence', async () => {
    const clock = new FakeClock();
    const w = await watched();
    const peer = await bindUdp('127.0.0.1', 0);
    const other = await bindUdp('127.0.0.1', 0);
    open.push(w.sock, peer, other);
    const s = new RtpSession({ socket: w.sock, remote: peer.local, rtcp: 'off', clock, random: new SeededRandom(1), codec: PCMU, cname: 't' });
    await w.feed(peer, 1, 3, 7);
    assert.equal(s.receiveSource?.ssrc, 7);
    assert.deepEqual(w.pins, [peer.local]);
    // pinned: the third party's packet never reaches us, the peer's next one does
    other.send(rtp(100, 9), w.sock.local);
    await w.feed(peer, 4, 4, 7);
    assert.deepEqual(w.sources, [1, 2, 3, 4].map(() => String(peer.local.port)));
    assert.equal(s.stats.received.packets, 4);
    // silence from the peer for the switch time: the next tick releases the pin
    clock.advance(499);
    s.readFrame();
    assert.equal(w.pins.length, 1);
    clock.advance(1);
    s.readFrame();
    assert.deepEqual(w.pins, [peer.local, undefined]);
    await w.feed(other, 200, 201, 9);
    assert.equal(s.receiveSource?.ssrc, 9);
    assert.equal(w.pins.length, 2, 'a source that is not the SDP address is not pinned');
    s.close();
  });

  it('a peer behind a NAT (other source port) is heard and never pinned; close releases a pin', async () => {
    const clock = new FakeClock();
    const w = await watched();
    const sdp = await bindUdp('127.0.0.1', 0); // the address in the peer's SDP
    const natted = await bindUdp('127.0.0.1', 0); // where its packets really come from
    open.push(w.sock, sdp, natted);
    const s = new RtpSession({ socket: w.sock, remote: sdp.local, rtcp: 'off', clock, random: new SeededRandom(2), codec: PCMU, cname: 't' });
    await w.feed(natted, 1, 3, 5);
    assert.equal(s.receiveSource?.ssrc, 5);
    assert.deepEqual(w.pins, []);
    s.close();
    assert.deepEqual(w.pins, []);

    const w2 = await watched();
    open.push(w2.sock);
    const s2 = new RtpSession({ socket: w2.sock, remote: sdp.local, rtcp: 'off', clock, random: new SeededRandom(3), codec: PCMU, cname: 't', symmetric: true });
    await w2.feed(natted, 1, 2, 6);
    // symmetric RTP (P291) latched the NAT address: the peer now sends from where we send to
    const plain = (ps: (UdpAddress | undefined)[]): (UdpAddress | undefined)[] => ps.map((p) => p && { address: p.address, port: p.port });
    assert.deepEqual(plain(w2.pins), [natted.local]);
    s2.close();
    assert.deepEqual(plain(w2.pins), [natted.local, undefined]);
  });

  it('a socket bound to an ephemeral port offers no pin (Linux would take the port back on disconnect)', async () => {
    const s = await bindUdp('127.0.0.1', 0);
    open.push(s);
    assert.equal(s.pin, undefined);
  });

  it('an in-memory pinned socket takes only its peer, as connect(2) does', () => {
    const [a, b] = memorySocketPair();
    const got: string[] = [];
    b.onMessage((d) => got.push(d.toString()));
    b.pin!({ address: '127.0.0.1', port: 1 });
    a.send(Buffer.from('x'), b.local);
    b.pin!(a.local);
    a.send(Buffer.from('y'), b.local);
    b.pin!(undefined);
    a.send(Buffer.from('z'), b.local);
    assert.deepEqual(got, ['y', 'z']);
  });
});

describe('media G.711 packets encoded in place', () => {
  for (const [codec, enc] of [
    [PCMU, encodeUlaw],
    [PCMA, encodeAlaw],
  ] as const) {
    it(`${codec.name}: the packet sent equals encodeRtp of the codec's payload`, () => {
      const [a, b] = memorySocketPair();
      const sent: Buffer[] = [];
      b.onMessage((d) => sent.push(d));
      const s = new RtpSession({ socket: a, remote: b.local, rtcp: 'off', clock: new FakeClock(), random: new SeededRandom(4), codec, cname: 't' });
      const tone = renderDualTone([697, 1209], -6, 40);
      s.writeFrame(tone.subarray(0, 160));
      s.writeFrame(tone.subarray(160));
      assert.equal(sent.length, 2);
      sent.forEach((pkt, i) => {
        const h = decodeRtp(pkt);
        const want = encodeRtp({ payloadType: codec.payloadType, marker: i === 0, sequenceNumber: h.sequenceNumber, timestamp: h.timestamp, ssrc: s.ssrc, payload: enc(tone.subarray(i * 160, i * 160 + 160)) });
        assert.deepEqual(pkt, want);
        if (i === 1) assert.equal(h.timestamp, (decodeRtp(sent[0]!).timestamp + 160) >>> 0);
      });
    });
  }

  it('FramePool hands out zeroed, disjoint frames and copies exactly', () => {
    const pool = new FramePool();
    const frames = Array.from({ length: 40 }, () => pool.take(160));
    frames.forEach((f, i) => {
      assert.equal(f.length, 160);
      assert.ok(f.every((v) => v === 0));
      f.fill(i + 1);
    });
    frames.forEach((f, i) => assert.ok(f.every((v) => v === i + 1), `frame ${i} overwritten`));
    const src = Int16Array.from({ length: 400 }, (_, i) => i - 200);
    assert.deepEqual(Array.from(pool.copy(src, 30, 190)), Array.from(src.subarray(30, 190)));
    assert.equal(pool.take(4000).length, 4000);
  });
});
