/**
 * Our TFTP client: a read request (RFC 1350) with the blksize and tsize options (RFC 2347-2349),
 * over an injected UDP socket and clock. One transfer per instance, as a small state machine:
 *   requesting → transferring → done | failed
 * The server answers from a new port (its TID, RFC 1350 §4); packets from any other port get
 * ERROR 5 and are otherwise ignored.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import { SystemClock, type Cancel, type Clock } from '../../shared/clock';
import { DecodeError } from '../../shared/errors';
import { FetchError, onAbort, safeUrl, type FetchOptions, type Fetcher } from './fetcher';
import { decodeTftp, encodeTftp, TFTP_ERROR, type TftpPacket } from './tftp-packets';
import { nodeUdpSocketFactory, type UdpPeer, type UdpSocket, type UdpSocketFactory } from './udp-socket';

/** 1500-byte Ethernet MTU minus IP, UDP and TFTP headers, rounded down (RFC 2348 §3 example size 1428). */
export const BLKSIZE = 1428;
/** RFC 1350 default block size, when the server ignores the options. */
const DEFAULT_BLKSIZE = 512;
/** Retransmission: the last packet is sent again after RETRANSMIT_MS, at most MAX_RETRIES times (RFC 1350 §2). */
export const RETRANSMIT_MS = 1000;
export const MAX_RETRIES = 5;
const TFTP_PORT = 69;

type State = 'requesting' | 'transferring' | 'done' | 'failed';
const ALLOWED: Readonly<Record<State, readonly State[]>> = {
  requesting: ['requesting', 'transferring', 'done', 'failed'],
  transferring: ['done', 'failed'],
  done: [],
  failed: [],
};

export interface TftpClientDeps {
  readonly sockets?: UdpSocketFactory;
  /** Resolves a host name to an address; default node:dns. */
  readonly resolve?: (host: string) => Promise<string>;
}

export class TftpFetcher implements Fetcher {
  constructor(private readonly deps: TftpClientDeps = {}) {}

  async fetch(url: URL, opts: FetchOptions): Promise<Buffer> {
    if (url.protocol !== 'tftp:') throw new FetchError('unsupported', `not a tftp URL: ${safeUrl(url)}`, safeUrl(url));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let filename: string;
    try {
      filename = decodeURIComponent(url.pathname.replace(/^\//, ''));
    } catch {
      throw new FetchError('protocol', `bad percent-encoding in ${safeUrl(url)}`, safeUrl(url));
    }
    if (filename === '') throw new FetchError('protocol', 'tftp URL without a file name', safeUrl(url));
    let address: string;
    try {
      address = net.isIP(host) ? host : await (this.deps.resolve ?? defaultResolve)(host);
    } catch (e) {
      throw new FetchError('unreachable', `cannot resolve ${host}: ${(e as Error).message}`, safeUrl(url), { cause: e });
    }
    let sock: UdpSocket;
    try {
      sock = await (this.deps.sockets ?? nodeUdpSocketFactory)(address, opts.localAddress);
    } catch (e) {
      throw new FetchError('unreachable', `cannot open a UDP socket: ${(e as Error).message}`, safeUrl(url), { cause: e });
    }
    const transfer = new TftpTransfer(sock, { address, port: url.port ? Number(url.port) : TFTP_PORT }, filename, safeUrl(url), opts);
    const detach = onAbort(opts.signal, () => transfer.abortByCaller());
    try {
      return await transfer.run();
    } finally {
      detach();
      sock.close();
    }
  }
}

async function defaultResolve(host: string): Promise<string> {
  return (await dns.lookup(host)).address;
}

class TftpTransfer {
  private st: State = 'requesting';
  private readonly clock: Clock;
  private server: UdpPeer | undefined;
  private blksize = DEFAULT_BLKSIZE;
  private lastBlock = 0;
  /** Blocks received so far (counts past the 16-bit wrap). */
  private received = 0;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private lastSent: Buffer | undefined;
  private lastSentTo: UdpPeer | undefined;
  private retries = 0;
  private retransmitTimer: Cancel | undefined;
  private deadline: Cancel | undefined;
  private withOptions = true;
  private settle: { resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly sock: UdpSocket,
    private readonly to: UdpPeer,
    private readonly filename: string,
    private readonly url: string,
    private readonly opts: FetchOptions,
  ) {
    this.clock = opts.clock ?? new SystemClock();
  }

  run(): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.sock.onMessage((msg, from) => this.onDatagram(msg, from));
      this.deadline = this.clock.setTimer(this.opts.timeoutMs, () =>
        this.fail(new FetchError('timeout', `TFTP transfer not done after ${this.opts.timeoutMs} ms`, this.url)),
      );
      this.sendRequest();
    });
  }

  abortByCaller(): void {
    this.abort(TFTP_ERROR.notDefined, 'transfer cancelled', new FetchError('unreachable', 'aborted: the unit is stopping', this.url));
  }

  private transition(to: State): void {
    if (!ALLOWED[this.st].includes(to)) throw new Error(`tftp: ${this.st} → ${to} not allowed`);
    this.st = to;
  }

  private sendRequest(): void {
    const options = new Map<string, string>();
    if (this.withOptions) {
      options.set('blksize', String(BLKSIZE));
      options.set('tsize', '0');
    }
    this.send(encodeTftp({ op: 'RRQ', filename: this.filename, mode: 'octet', options }), this.to);
  }

  /** Sends a packet that expects an answer, and arms the retransmission timer for it. */
  private send(pkt: Buffer, to: UdpPeer): void {
    this.lastSent = pkt;
    this.lastSentTo = to;
    this.retries = 0;
    this.sock.send(pkt, to);
    this.armRetransmit();
  }

  private armRetransmit(): void {
    this.retransmitTimer?.();
    this.retransmitTimer = this.clock.setTimer(RETRANSMIT_MS, () => this.onRetransmitTimer());
  }

  /** RFC 1350 §2: on timeout the last packet is sent again; after MAX_RETRIES the transfer fails. */
  private onRetransmitTimer(): void {
    if (this.st === 'done' || this.st === 'failed' || !this.lastSent || !this.lastSentTo) return;
    if (this.retries >= MAX_RETRIES) {
      this.fail(new FetchError('timeout', `TFTP server did not answer after ${MAX_RETRIES} retransmissions`, this.url));
      return;
    }
    this.retries++;
    this.sock.send(this.lastSent, this.lastSentTo);
    this.armRetransmit();
  }

  private onDatagram(msg: Buffer, from: UdpPeer): void {
    if (this.st === 'done' || this.st === 'failed') return;
    if (from.address !== this.to.address) return;
    if (this.server && from.port !== this.server.port) {
      // RFC 1350 §4: a packet from a foreign TID gets ERROR 5; our transfer goes on.
      this.sock.send(encodeTftp({ op: 'ERROR', code: TFTP_ERROR.unknownTid, message: 'Unknown transfer ID' }), from);
      return;
    }
    let pkt: TftpPacket;
    try {
      pkt = decodeTftp(msg);
    } catch (e) {
      if (e instanceof DecodeError) return; // garbage datagram: dropped, the retransmission timer covers it
      throw e;
    }
    if (this.st === 'requesting') this.server = { address: from.address, port: from.port };
    switch (pkt.op) {
      case 'OACK':
        return this.onOack(pkt.options);
      case 'DATA':
        return this.onData(pkt.block, pkt.data);
      case 'ERROR':
        return this.onError(pkt.code, pkt.message);
      default:
        return this.abort(TFTP_ERROR.illegalOperation, 'unexpected packet', new FetchError('protocol', `TFTP server sent ${pkt.op}`, this.url));
    }
  }

  /** RFC 2347: the server acknowledges the options it accepts; the client answers ACK 0. */
  private onOack(options: ReadonlyMap<string, string>): void {
    if (this.st !== 'requesting') return;
    const bs = options.get('blksize');
    if (bs !== undefined) {
      const n = Number(bs);
      if (!Number.isInteger(n) || n < 8 || n > BLKSIZE) {
        return this.abort(TFTP_ERROR.optionRefused, 'bad blksize', new FetchError('protocol', `TFTP server chose blksize ${bs}`, this.url));
      }
      this.blksize = n;
    }
    const ts = options.get('tsize');
    if (ts !== undefined && Number(ts) > this.opts.maxBytes) {
      return this.abort(TFTP_ERROR.diskFull, 'file too large', this.tooLarge(Number(ts)));
    }
    this.transition('transferring');
    this.send(encodeTftp({ op: 'ACK', block: 0 }), this.server!);
  }

  private onData(block: number, data: Buffer): void {
    if (this.st === 'requesting') this.transition('transferring');
    const expected = (this.lastBlock + 1) & 0xffff;
    if (block !== expected) {
      // A duplicate of the block we already acknowledged: our ACK was lost, so acknowledge again.
      if (block === this.lastBlock && this.received > 0) this.sock.send(encodeTftp({ op: 'ACK', block }), this.server!);
      return;
    }
    if (data.length > this.blksize) {
      return this.abort(TFTP_ERROR.illegalOperation, 'block too large', new FetchError('protocol', `TFTP block of ${data.length} bytes > blksize ${this.blksize}`, this.url));
    }
    this.size += data.length;
    if (this.size > this.opts.maxBytes) return this.abort(TFTP_ERROR.diskFull, 'file too large', this.tooLarge(this.size));
    this.chunks.push(data);
    this.lastBlock = block;
    this.received++;
    const ack = encodeTftp({ op: 'ACK', block });
    if (data.length < this.blksize) {
      // Last block (RFC 1350 §6): acknowledge and finish.
      this.sock.send(ack, this.server!);
      this.finish();
    } else {
      this.send(ack, this.server!);
    }
  }

  private onError(code: number, message: string): void {
    if (code === TFTP_ERROR.optionRefused && this.st === 'requesting' && this.withOptions) {
      // RFC 2347: a server refusing the options; ask again without them.
      this.withOptions = false;
      this.server = undefined;
      this.sendRequest();
      return;
    }
    const kind = code === TFTP_ERROR.fileNotFound ? 'not-found' : code === TFTP_ERROR.accessViolation ? 'auth' : 'server';
    this.fail(new FetchError(kind, `TFTP error ${code}: ${message || 'no message'}`, this.url));
  }

  private tooLarge(n: number): FetchError {
    return new FetchError('too-large', `file of ${n} bytes exceeds the limit of ${this.opts.maxBytes}`, this.url);
  }

  private abort(code: number, message: string, err: FetchError): void {
    if (this.server) this.sock.send(encodeTftp({ op: 'ERROR', code, message }), this.server);
    this.fail(err);
  }

  private finish(): void {
    this.transition('done');
    this.stopTimers();
    this.settle?.resolve(Buffer.concat(this.chunks, this.size));
  }

  private fail(err: Error): void {
    if (this.st === 'done' || this.st === 'failed') return;
    this.transition('failed');
    this.stopTimers();
    this.settle?.reject(err);
  }

  private stopTimers(): void {
    this.retransmitTimer?.();
    this.deadline?.();
    this.retransmitTimer = undefined;
    this.deadline = undefined;
  }
}
