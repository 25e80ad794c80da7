/**
 * The binary packet protocol (RFC 4253 §6): uint32 packet_length, byte padding_length, payload,
 * random padding (4 or more bytes, the total a multiple of the block size: 8 in the clear, 16 for
 * AES; for GCM the length field is left out of that total, RFC 5647 §7.2), then the MAC or tag.
 * Strict limits: a packet_length over MAX_PACKET_LENGTH, a bad alignment or padding, or a payload
 * over MAX_PAYLOAD ends the connection before anything more is read or buffered.
 */
import type { Random } from '../../shared/random';
import { MAC_LENGTH } from './algorithms';
import {
  GCM_TAG_LENGTH,
  NO_CIPHER,
  gcmOpen,
  gcmSeal,
  macMatches,
  packetMac,
  type InboundCipher,
  type OutboundCipher,
} from './packet-cipher';
import { SshError } from './ssh-errors';

/** RFC 4253 §6.1: packets of 35000 bytes in all must be handled; nothing larger is taken. */
export const MAX_PACKET_LENGTH = 35000 - 4 - MAC_LENGTH;
/** RFC 4253 §6.1: uncompressed payload of 32768 bytes. */
export const MAX_PAYLOAD = 32768;
/** RFC 4253 §6: at least 16 bytes (or one cipher block) before the MAC. */
const MIN_TOTAL = 16;

function blockOf(kind: 'none' | 'ctr' | 'gcm'): number {
  return kind === 'none' ? 8 : 16;
}

export class PacketDecoder {
  /** Sequence number of the next packet in (RFC 4253 §6.4; wraps at 2^32). */
  seq = 0;
  private buf: Buffer = Buffer.alloc(0);
  private cipher: InboundCipher = NO_CIPHER;
  /** CTR: the first block of the packet being read, already decrypted. */
  private head: Buffer | undefined;

  /** Keys change right after NEWKEYS: the bytes that follow it are read with the new ones. */
  setCipher(c: InboundCipher): void {
    if (this.head) throw new SshError('protocol', 'keys changed inside a packet');
    this.cipher = c;
  }

  push(data: Buffer): void {
    this.buf = this.buf.length === 0 ? data : Buffer.concat([this.buf, data]);
  }

  /** Bytes held that do not yet make a packet. */
  get buffered(): number {
    return this.buf.length;
  }

  /** The next complete packet's payload, or undefined until more bytes arrive; throws SshError. */
  next(): Buffer | undefined {
    const c = this.cipher;
    if (c.kind === 'gcm') return this.nextGcm(c);
    let plainHead = this.head;
    if (!plainHead) {
      const first = c.kind === 'none' ? 8 : 16;
      if (this.buf.length < first) return undefined;
      plainHead = c.kind === 'ctr' ? c.decipher.update(this.buf.subarray(0, first)) : this.buf.subarray(0, first);
      this.head = plainHead;
    }
    const length = plainHead.readUInt32BE(0);
    checkLength(length, 4 + length, blockOf(c.kind));
    const macLen = c.kind === 'ctr' ? MAC_LENGTH : 0;
    const total = 4 + length + macLen;
    if (this.buf.length < total) return undefined;
    const rest = this.buf.subarray(plainHead.length, 4 + length);
    const plain = Buffer.concat([plainHead, c.kind === 'ctr' ? c.decipher.update(rest) : rest]);
    if (c.kind === 'ctr' && !macMatches(c.macKey, this.seq, plain, this.buf.subarray(4 + length, total))) {
      throw new SshError('mac', 'MAC check failed');
    }
    this.head = undefined;
    this.consume(total);
    return payloadOf(plain.subarray(4));
  }

  private nextGcm(c: { key: Buffer; iv: Buffer }): Buffer | undefined {
    if (this.buf.length < 4) return undefined;
    const length = this.buf.readUInt32BE(0);
    checkLength(length, length, 16);
    const total = 4 + length + GCM_TAG_LENGTH;
    if (this.buf.length < total) return undefined;
    const plain = gcmOpen(c, this.buf.subarray(0, 4), this.buf.subarray(4, 4 + length), this.buf.subarray(4 + length, total));
    this.consume(total);
    return payloadOf(plain);
  }

  private consume(n: number): void {
    this.buf = this.buf.subarray(n);
    if (this.buf.length === 0) this.buf = Buffer.alloc(0); // let the old chunk go
    this.seq = (this.seq + 1) >>> 0;
  }
}

function checkLength(length: number, aligned: number, block: number): void {
  if (length > MAX_PACKET_LENGTH) throw new SshError('too-large', `packet length ${length} over ${MAX_PACKET_LENGTH}`);
  if (length + 4 < MIN_TOTAL || aligned % block !== 0) throw new SshError('protocol', `bad packet length ${length} (block ${block})`);
}

/** padding_length || payload || padding → payload. */
function payloadOf(body: Buffer): Buffer {
  const pad = body[0]!;
  const n = body.length - 1 - pad;
  if (pad < 4 || n < 1) throw new SshError('protocol', `bad padding length ${pad} in a packet of ${body.length}`);
  if (n > MAX_PAYLOAD) throw new SshError('too-large', `payload of ${n} bytes over ${MAX_PAYLOAD}`);
  return Buffer.from(body.subarray(1, 1 + n)); // a copy: the packet buffer is let go
}

export class PacketEncoder {
  /** Sequence number of the next packet out. */
  seq = 0;
  private cipher: OutboundCipher = NO_CIPHER;

  constructor(private readonly random: Random) {}

  setCipher(c: OutboundCipher): void {
    this.cipher = c;
  }

  encode(payload: Buffer): Buffer {
    const c = this.cipher;
    const block = blockOf(c.kind);
    // GCM aligns padding_length || payload || padding; the others the whole packet with its length
    const counted = (c.kind === 'gcm' ? 1 : 5) + payload.length;
    let pad = block - (counted % block);
    if (pad < 4) pad += block;
    const length = 1 + payload.length + pad;
    const plain = Buffer.alloc(4 + length);
    plain.writeUInt32BE(length, 0);
    plain[4] = pad;
    payload.copy(plain, 5);
    this.random.bytes(pad).copy(plain, 5 + payload.length);
    let out: Buffer;
    if (c.kind === 'none') out = plain;
    else if (c.kind === 'gcm') out = gcmSeal(c, plain.subarray(0, 4), plain.subarray(4));
    else out = Buffer.concat([c.cipher.update(plain), packetMac(c.macKey, this.seq, plain)]);
    this.seq = (this.seq + 1) >>> 0;
    return out;
  }
}
