/**
 * The SSH transport layer, server side (RFC 4253): the identification exchange (§4.2), binary
 * packets (packet-codec.ts), key exchange and re-exchange (§7, §9) with NEWKEYS switching each
 * direction's keys, and the generic messages (§11). Strict KEX (OpenSSH PROTOCOL §1.10) when the
 * client asks for it: only KEX messages during the first exchange, sequence numbers reset at
 * each NEWKEYS. Service messages go up through `onPayload`; errors are thrown as SshError.
 * No I/O of its own: bytes out through `write`.
 */
import type { Random } from '../../shared/random';
import { STRICT_KEX_CLIENT, guessRight, negotiate, type Negotiated } from './algorithms';
import type { HostKey } from './host-key';
import { decodeEcdhInit, encodeEcdhReply, ephemeralKey, exchangeHash } from './kex';
import { directionKeys, type DirectionKeys } from './key-derivation';
import { decodeKexInit, encodeServerKexInit } from './kexinit';
import { MSG, allowedDuringKex, isKexMessage } from './messages';
import { inboundCipher, outboundCipher } from './packet-cipher';
import { PacketDecoder, PacketEncoder } from './packet-codec';
import { SshError, type DisconnectReason } from './ssh-errors';
import { SshReader, SshWriter } from './wire';

/** RFC 4253 §4.2: the identification line is at most 255 characters, CR LF included. */
export const MAX_VERSION_LINE = 255;
/** Key exchanges one connection may run (the first and re-exchanges). */
export const MAX_KEX_PER_CONNECTION = 16;
/** Service messages held back during a re-exchange (bytes). */
export const MAX_QUEUED_BYTES = 256 * 1024;

type KexStep = 'kexinit' | 'ecdh-init' | 'newkeys';

const KEX_ALLOWED: Readonly<Record<KexStep, readonly KexStep[]>> = {
  kexinit: ['ecdh-init'],
  'ecdh-init': ['newkeys'],
  newkeys: [],
};

interface KexRound {
  step: KexStep;
  /** Our KEXINIT payload (I_S). */
  readonly ours: Buffer;
  theirs?: Buffer;
  negotiated?: Negotiated;
  inbound?: DirectionKeys;
  /** We sent KEXINIT and not yet NEWKEYS: service messages wait. */
  outboundOpen: boolean;
}

export interface TransportDeps {
  readonly random: Random;
  /** The server's identification line, without CR LF (e.g. `SSH-2.0-GS_HT813`). */
  readonly serverVersion: string;
  readonly hostKey: HostKey;
  write(bytes: Buffer): void;
  /** A service-layer message (SERVICE_REQUEST, userauth, connection). */
  onPayload(payload: Buffer): void;
  /** The first key exchange finished: the connection is encrypted. */
  onEncrypted(): void;
  /** The client sent SSH_MSG_DISCONNECT. */
  onPeerDisconnect(reason: number, description: string): void;
}

export class SshTransport {
  private readonly decoder = new PacketDecoder();
  private readonly encoder: PacketEncoder;
  private versionBuf: Buffer | undefined = Buffer.alloc(0);
  private clientVersion: Buffer | undefined;
  private round: KexRound | undefined;
  private kexCount = 0;
  private strict = false;
  private skipNext = false;
  private sid: Buffer | undefined;
  private queue: Buffer[] = [];
  private queued = 0;
  private stopped = false;

  constructor(private readonly deps: TransportDeps) {
    this.encoder = new PacketEncoder(deps.random);
  }

  /** RFC 4253 §4.2 and §7.1: our identification, then our KEXINIT, without waiting for the client's. */
  start(): void {
    this.deps.write(Buffer.from(`${this.deps.serverVersion}\r\n`, 'latin1'));
    this.beginRound(true);
  }

  get sessionId(): Buffer | undefined {
    return this.sid;
  }

  /** Sequence number of the last packet received (for SSH_MSG_UNIMPLEMENTED). */
  get lastSeq(): number {
    return (this.decoder.seq - 1) >>> 0;
  }

  /** Bytes received but not yet making a packet or a line. */
  get buffered(): number {
    return this.decoder.buffered + (this.versionBuf?.length ?? 0);
  }

  /** Feeds bytes from the socket; throws SshError (or DecodeError) on anything malformed. */
  receive(bytes: Buffer): void {
    if (this.stopped) return;
    if (this.versionBuf) {
      const rest = this.readVersion(bytes);
      if (!rest) return;
      bytes = rest;
    }
    this.decoder.push(bytes);
    for (let p = this.decoder.next(); p; p = this.stopped ? undefined : this.decoder.next()) this.handle(p);
  }

  /** Sends a service message; held back while our side of a re-exchange runs (RFC 4253 §7.1). */
  send(payload: Buffer): void {
    if (this.stopped) return;
    if (this.round?.outboundOpen && !allowedDuringKex(payload[0]!)) {
      this.queued += payload.length;
      if (this.queued > MAX_QUEUED_BYTES) throw new SshError('too-large', 'too much output held during a key re-exchange');
      this.queue.push(payload);
      return;
    }
    this.deps.write(this.encoder.encode(payload));
  }

  /** RFC 4253 §11.1: SSH_MSG_DISCONNECT, then nothing more is sent or read. */
  disconnect(reason: DisconnectReason, description: string): void {
    if (this.stopped) return;
    this.deps.write(this.encoder.encode(new SshWriter().byte(MSG.DISCONNECT).uint32(reason).string(description).string('').toBuffer()));
    this.stop();
  }

  stop(): void {
    this.stopped = true;
    this.queue = [];
  }

  // ---- RFC 4253 §4.2 ----

  /** Collects the client's identification line; returns the bytes after it, or undefined while it is incomplete. */
  private readVersion(bytes: Buffer): Buffer | undefined {
    const buf = Buffer.concat([this.versionBuf!, bytes]);
    const lf = buf.indexOf(0x0a);
    if (lf < 0) {
      if (buf.length >= MAX_VERSION_LINE) throw new SshError('version', 'no identification line within 255 bytes');
      this.versionBuf = buf;
      return undefined;
    }
    if (lf + 1 > MAX_VERSION_LINE) throw new SshError('version', 'identification line over 255 bytes');
    const line = buf.subarray(0, lf > 0 && buf[lf - 1] === 0x0d ? lf - 1 : lf);
    const text = line.toString('latin1');
    if (!/^SSH-(2\.0|1\.99)-[\x21-\x7e]/.test(text) || !/^[\x20-\x7e]*$/.test(text)) {
      throw new SshError('version', `not an SSH-2.0 client: ${JSON.stringify(text.slice(0, 40))}`);
    }
    this.clientVersion = Buffer.from(line);
    this.versionBuf = undefined;
    return buf.subarray(lf + 1);
  }

  // ---- RFC 4253 §7 ----

  private handle(payload: Buffer): void {
    const msg = payload[0]!;
    if (this.skipNext) {
      // RFC 4253 §7: a wrongly guessed first KEX packet is ignored
      this.skipNext = false;
      if (msg >= 30 && msg <= 49) return;
    }
    if (this.strict && this.kexCount === 0 && !isKexMessage(msg)) {
      throw new SshError('protocol', `message ${msg} during the first key exchange (strict KEX)`);
    }
    switch (msg) {
      case MSG.DISCONNECT: {
        const r = new SshReader(payload);
        r.byte();
        const reason = r.uint32();
        const description = r.utf8('description').slice(0, 200);
        this.stop();
        return this.deps.onPeerDisconnect(reason, description);
      }
      case MSG.IGNORE:
      case MSG.DEBUG:
      case MSG.UNIMPLEMENTED:
        return;
      case MSG.KEXINIT:
        return this.onKexInit(payload);
      case MSG.KEX_ECDH_INIT:
        return this.onEcdhInit(payload);
      case MSG.NEWKEYS:
        return this.onNewKeys();
      default:
        if (msg < 50 && msg !== MSG.SERVICE_REQUEST) throw new SshError('protocol', `unexpected transport message ${msg}`);
        if (this.round?.theirs) throw new SshError('protocol', `message ${msg} during a key exchange`);
        if (this.kexCount === 0) throw new SshError('protocol', `message ${msg} before the first key exchange`);
        return this.deps.onPayload(payload);
    }
  }

  private beginRound(first: boolean): void {
    if (this.kexCount >= MAX_KEX_PER_CONNECTION) throw new SshError('protocol', `more than ${MAX_KEX_PER_CONNECTION} key exchanges`);
    const ours = encodeServerKexInit(this.deps.random.bytes(16), first);
    this.round = { step: 'kexinit', ours, outboundOpen: true };
    this.deps.write(this.encoder.encode(ours));
  }

  private onKexInit(payload: Buffer): void {
    if (!this.round) this.beginRound(false); // the client starts a re-exchange
    const round = this.round!;
    if (round.theirs) throw new SshError('protocol', 'a second KEXINIT in one key exchange');
    const first = this.kexCount === 0;
    const ki = decodeKexInit(payload);
    if (first && ki.kex.includes(STRICT_KEX_CLIENT)) {
      this.strict = true;
      // OpenSSH PROTOCOL §1.10: KEXINIT must have been the very first packet
      if (this.lastSeq !== 0) throw new SshError('protocol', 'strict KEX: KEXINIT was not the first packet');
    }
    round.theirs = Buffer.from(payload);
    round.negotiated = negotiate(ki);
    if (ki.firstKexPacketFollows && !guessRight(ki)) this.skipNext = true;
    this.step(round, 'ecdh-init');
  }

  private onEcdhInit(payload: Buffer): void {
    const round = this.round;
    if (!round || round.step !== 'ecdh-init' || !round.theirs || !round.negotiated) throw new SshError('protocol', 'KEX_ECDH_INIT out of place');
    const n = round.negotiated;
    const qC = decodeEcdhInit(payload);
    const eph = ephemeralKey(n.kex, this.deps.random);
    const k = eph.agree(qC);
    const h = exchangeHash({
      vC: this.clientVersion!,
      vS: Buffer.from(this.deps.serverVersion, 'latin1'),
      iC: round.theirs,
      iS: round.ours,
      kS: this.deps.hostKey.blob,
      qC,
      qS: eph.publicKey,
      k,
    });
    this.sid ??= h; // RFC 4253 §7.2: the first H is the session identifier for good
    this.deps.write(this.encoder.encode(encodeEcdhReply(this.deps.hostKey, eph.publicKey, h)));
    this.deps.write(this.encoder.encode(Buffer.from([MSG.NEWKEYS])));
    this.encoder.setCipher(outboundCipher(directionKeys(k, h, this.sid, 's2c', n.s2c)));
    if (this.strict) this.encoder.seq = 0;
    round.inbound = directionKeys(k, h, this.sid, 'c2s', n.c2s);
    round.outboundOpen = false;
    this.step(round, 'newkeys');
    this.flushQueue();
  }

  private onNewKeys(): void {
    const round = this.round;
    if (!round || round.step !== 'newkeys' || !round.inbound) throw new SshError('protocol', 'NEWKEYS out of place');
    this.decoder.setCipher(inboundCipher(round.inbound));
    if (this.strict) this.decoder.seq = 0;
    this.round = undefined;
    this.kexCount++;
    if (this.kexCount === 1) this.deps.onEncrypted();
  }

  private step(round: KexRound, to: KexStep): void {
    if (!KEX_ALLOWED[round.step].includes(to)) throw new SshError('protocol', `key exchange: ${round.step} → ${to}`);
    round.step = to;
  }

  private flushQueue(): void {
    const q = this.queue;
    this.queue = [];
    this.queued = 0;
    for (const p of q) this.deps.write(this.encoder.encode(p));
  }
}

/**
 * What a refused client gets (WAN rules, too many connections): our identification line and an
 * SSH_MSG_DISCONNECT in the clear (RFC 4253 §11.1), so its user sees the reason.
 */
export function refusalBytes(serverVersion: string, reason: DisconnectReason, description: string, random: Random): Buffer {
  const disconnect = new SshWriter().byte(MSG.DISCONNECT).uint32(reason).string(description).string('').toBuffer();
  return Buffer.concat([Buffer.from(`${serverVersion}\r\n`, 'latin1'), new PacketEncoder(random).encode(disconnect)]);
}
