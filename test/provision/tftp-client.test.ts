/*
 * Test plan: the TFTP client against a scripted server over an in-memory datagram network with a
 * FakeClock. Each case scripts the server's answers and asserts what the client sent, exactly:
 * option negotiation (OACK → ACK 0), plain RFC 1350 servers (DATA 1 at once), duplicate DATA,
 * lost packets with retransmission after RETRANSMIT_MS, give-up after MAX_RETRIES, foreign TIDs,
 * errors from the server, size limits (tsize and while receiving), block-number wrap.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fake-clock';
import { TftpFetcher, RETRANSMIT_MS, MAX_RETRIES, BLKSIZE } from '../../cpe/provision/fetch/tftp-client';
import { decodeTftp, encodeTftp, type TftpPacket } from '../../cpe/provision/fetch/tftp-packets';
import type { UdpPeer, UdpSocket, UdpSocketFactory } from '../../cpe/provision/fetch/udp-socket';
import { FetchError } from '../../cpe/provision/fetch/fetcher';

const SERVER = '10.0.0.9';

/** The client's one socket; `sent` records every datagram, `deliver` injects one from a server port. */
class Harness {
  readonly sent: Array<{ to: UdpPeer; pkt: TftpPacket }> = [];
  private handler: ((msg: Buffer, from: UdpPeer) => void) | undefined;
  closed = false;
  onSend: (pkt: TftpPacket, to: UdpPeer) => void = () => undefined;
  readonly factory: UdpSocketFactory = async () => {
    const sock: UdpSocket = {
      send: (msg, to) => {
        const pkt = decodeTftp(msg);
        this.sent.push({ to, pkt });
        this.onSend(pkt, to);
      },
      onMessage: (fn) => (this.handler = fn),
      close: () => (this.closed = true),
    };
    return sock;
  };
  deliver(pkt: TftpPacket, port = 5555, address = SERVER): void {
    this.handler?.(encodeTftp(pkt), { address, port });
  }
  ops(): string[] {
    return this.sent.map(({ pkt }) => (pkt.op === 'ACK' || pkt.op === 'DATA' ? `${pkt.op} ${pkt.block}` : pkt.op === 'ERROR' ? `ERROR ${pkt.code}` : pkt.op));
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function start(h: Harness, clock: FakeClock, maxBytes = 1 << 20, timeoutMs = 60_000): Promise<Buffer> {
  const f = new TftpFetcher({ sockets: h.factory });
  return f.fetch(new URL(`tftp://${SERVER}:6969/dir/cfg000b82123456.xml`), { timeoutMs, maxBytes, clock });
}

const block = (n: number, len: number): Buffer => Buffer.alloc(len, n & 0xff);

describe('provision fetch: TFTP client (RFC 1350, RFC 2347-2349)', () => {
  it('sends RRQ with blksize and tsize, answers OACK with ACK 0 and reads blocks to the short one', async () => {
    const clock = new FakeClock();
    const h = new Harness();
    const p = start(h, clock);
    await settle();
    const rrq = h.sent[0]!;
    assert.deepEqual(rrq.to, { address: SERVER, port: 6969 });
    assert.ok(rrq.pkt.op === 'RRQ');
    assert.equal(rrq.pkt.filename, 'dir/cfg000b82123456.xml');
    assert.equal(rrq.pkt.mode, 'octet');
    assert.deepEqual([...rrq.pkt.options], [['blksize', String(BLKSIZE)], ['tsize', '0']]);
    h.deliver({ op: 'OACK', options: new Map([['blksize', '1000'], ['tsize', '2100']]) });
    h.deliver({ op: 'DATA', block: 1, data: block(1, 1000) });
    h.deliver({ op: 'DATA', block: 2, data: block(2, 1000) });
    h.deliver({ op: 'DATA', block: 3, data: block(3, 100) });
    const out = await p;
    assert.equal(out.length, 2100);
    assert.deepEqual(h.ops(), ['RRQ', 'ACK 0', 'ACK 1', 'ACK 2', 'ACK 3']);
    assert.ok(h.sent.slice(1).every((s) => s.to.port === 5555), 'answers go to the server TID');
    assert.equal(clock.timerCount, 0, 'no timer left behind');
    assert.ok(h.closed);
  });

  it('works with a server that ignores options (DATA 1 of 512 at once), re-ACKs a duplicate', async () => {
    const clock = new FakeClock();
    const h = new Harness();
    const p = start(h, clock);
    await settle();
    h.deliver({ op: 'DATA', block: 1, data: block(1, 512) });
    h.deliver({ op: 'DATA', block: 1, data: block(1, 512) });
    h.deliver({ op: 'DATA', block: 2, data: Buffer.alloc(0) });
    assert.equal((await p).length, 512);
    assert.deepEqual(h.ops(), ['RRQ', 'ACK 1', 'ACK 1', 'ACK 2']);
  });

  it('retransmits the last packet after RETRANSMIT_MS and gives up after MAX_RETRIES', async () => {
    const clock = new FakeClock();
    const h = new Harness();
    const p = start(h, clock);
    await settle();
    clock.advance(RETRANSMIT_MS - 1);
    assert.deepEqual(h.ops(), ['RRQ']);
    clock.advance(1);
    assert.deepEqual(h.ops(), ['RRQ', 'RRQ']);
    clock.advance(RETRANSMIT_MS * (MAX_RETRIES - 1));
    assert.equal(h.ops().length, 1 + MAX_RETRIES);
    clock.advance(RETRANSMIT_MS);
    await assert.rejects(p, (e: unknown) => e instanceof FetchError && e.kind === 'timeout' && /retransmissions/.test(e.message));
    assert.equal(clock.timerCount, 0);
  });

  it('retransmits an ACK lost in the middle of the transfer', async () => {
    const clock = new FakeClock();
    const h = new Harness();
    const p = start(h, clock);
    await settle();
    h.deliver({ op: 'OACK', options: new Map([['blksize', '512']]) });
    h.deliver({ op: 'DATA', block: 1, data: block(1, 512) });
    clock.advance(RETRANSMIT_MS);
    h.deliver({ op: 'DATA', block: 2, data: block(2, 3) });
    assert.equal((await p).length, 515);
    assert.deepEqual(h.ops(), ['RRQ', 'ACK 0', 'ACK 1', 'ACK 1', 'ACK 2']);
  });

  it('answers a foreign TID with ERROR 5 and carries on', async () => {
    const clock = new FakeClock();
    const h = new Harness();
    const p = start(h, clock);
    await settle();
    h.deliver({ op: 'DATA', block: 1, data: block(1, 512) });
    h.deliver({ op: 'DATA', block: 2, data: block(9, 10) }, 7777);
    h.deliver({ op: 'DATA', block: 2, data: block(2, 10) });
    const out = await p;
    assert.equal(out.length, 522);
    assert.equal(out[520], 2);
    assert.deepEqual(h.ops(), ['RRQ', 'ACK 1', 'ERROR 5', 'ACK 2']);
    assert.equal(h.sent[2]!.to.port, 7777);
  });

  it('ignores datagrams from another host and garbage', async () => {
    const clock = new FakeClock();
    const h = new Harness();
    const p = start(h, clock);
    await settle();
    h.deliver({ op: 'ERROR', code: 1, message: 'x' }, 5555, '10.6.6.6');
    h.deliver({ op: 'DATA', block: 1, data: Buffer.from('ok') });
    assert.equal((await p).toString(), 'ok');
  });

  const errors: Array<[number, string]> = [[1, 'not-found'], [2, 'auth'], [0, 'server']];
  for (const [code, kind] of errors) {
    it(`maps server ERROR ${code} to ${kind}`, async () => {
      const clock = new FakeClock();
      const h = new Harness();
      const p = start(h, clock);
      await settle();
      h.deliver({ op: 'ERROR', code, message: 'nope' });
      await assert.rejects(p, (e: unknown) => e instanceof FetchError && e.kind === kind && /nope/.test(e.message));
      assert.equal(clock.timerCount, 0);
    });
  }

  it('asks again without options after ERROR 8', async () => {
    const clock = new FakeClock();
    const h = new Harness();
    const p = start(h, clock);
    await settle();
    h.deliver({ op: 'ERROR', code: 8, message: 'no options' }, 69);
    const second = h.sent[1]!.pkt;
    assert.ok(second.op === 'RRQ' && second.options.size === 0);
    h.deliver({ op: 'DATA', block: 1, data: Buffer.from('x') }, 6000);
    assert.equal((await p).toString(), 'x');
  });

  it('refuses a tsize over the limit with ERROR 3, and a file growing past it', async () => {
    const clock = new FakeClock();
    let h = new Harness();
    let p = start(h, clock, 1000);
    await settle();
    h.deliver({ op: 'OACK', options: new Map([['tsize', '5000']]) });
    await assert.rejects(p, (e: unknown) => e instanceof FetchError && e.kind === 'too-large');
    assert.deepEqual(h.ops(), ['RRQ', 'ERROR 3']);

    h = new Harness();
    p = start(h, clock, 1000);
    await settle();
    h.deliver({ op: 'DATA', block: 1, data: block(1, 512) });
    h.deliver({ op: 'DATA', block: 2, data: block(2, 512) });
    await assert.rejects(p, (e: unknown) => e instanceof FetchError && e.kind === 'too-large');
    assert.deepEqual(h.ops(), ['RRQ', 'ACK 1', 'ERROR 3']);
  });

  it('fails on the overall deadline even while the server trickles', async () => {
    const clock = new FakeClock();
    const h = new Harness();
    const p = start(h, clock, 1 << 30, 5000);
    await settle();
    h.deliver({ op: 'OACK', options: new Map([['blksize', '8']]) });
    for (let i = 1; i <= 6; i++) {
      clock.advance(900);
      h.deliver({ op: 'DATA', block: i, data: block(i, 8) });
    }
    await assert.rejects(p, (e: unknown) => e instanceof FetchError && e.kind === 'timeout');
  });

  it('wraps the block number past 65535 (rollover to 0)', async () => {
    const clock = new FakeClock();
    const h = new Harness();
    let n = 0;
    h.onSend = (pkt) => {
      // An eager server: answers each ACK with the next block, 65537 full 8-byte blocks then a short one.
      if (pkt.op !== 'ACK') return;
      n++;
      queueMicrotask(() => h.deliver({ op: 'DATA', block: n & 0xffff, data: n <= 65537 ? block(n, 8) : Buffer.alloc(0) }));
    };
    const p = start(h, clock, 1 << 30);
    await settle();
    h.deliver({ op: 'OACK', options: new Map([['blksize', '8']]) });
    const out = await p;
    assert.equal(out.length, 65537 * 8);
    assert.equal(out[65535 * 8], 0); // the 65536th block, numbered 0 on the wire (fill byte 65536 & 0xff)
    assert.equal(out[65536 * 8], 1); // the 65537th, numbered 1
  });
});
