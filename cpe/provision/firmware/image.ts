/**
 * Our firmware image format (HT813 software unit). Big-endian:
 *   0    8   magic "HT813FW\x01" (format 1)
 *   8    16  model, ASCII, NUL-padded ("HT813")
 *   24   32  version, ASCII, NUL-padded ("1.0.8.1")
 *   56   8   build date, ms since the Unix epoch (u64)
 *   64   8   payload length (u64)
 *   72   32  payload SHA-256
 *   104  8   signing key id: the first 8 bytes of SHA-256 of the raw 32-byte Ed25519 public key
 *   112  64  Ed25519 signature over bytes 0..111 (RFC 8032; node:crypto)
 *   176  n   payload (a build of this project, or empty for a version-only fleet test image)
 * The signature covers the header, and the header covers the payload by its hash.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { DecodeError } from '../../shared/errors';

export const FW_MAGIC = Buffer.from('HT813FW\x01', 'latin1');
export const FW_HEADER_LEN = 176;
const SIGNED_LEN = 112;
const MODEL_LEN = 16;
const VERSION_LEN = 32;

export interface FirmwareHeader {
  readonly model: string;
  readonly version: string;
  /** ms since the Unix epoch. */
  readonly buildDate: number;
  readonly payloadLength: number;
  readonly payloadSha256: Buffer;
  readonly keyId: Buffer;
  readonly signature: Buffer;
}

export interface FirmwareImage {
  readonly header: FirmwareHeader;
  /** The header bytes the signature covers. */
  readonly signed: Buffer;
  readonly payload: Buffer;
}

/** A version: dot-separated numbers, e.g. 1.0.8.1 (what P68 shows). */
export const VERSION_RE = /^\d{1,5}(\.\d{1,5}){1,5}$/;

/** Key id of an Ed25519 public key: SHA-256 of its raw 32 bytes, first 8 bytes. */
export function keyIdOf(publicKey: KeyObject): Buffer {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest().subarray(0, 8);
}

export interface BuildImage {
  readonly model: string;
  readonly version: string;
  readonly buildDate: number;
  readonly payload: Buffer;
}

/** Builds and signs an image with an Ed25519 private key. */
export function encodeFirmwareImage(img: BuildImage, privateKey: KeyObject): Buffer {
  if (!VERSION_RE.test(img.version)) throw new RangeError(`firmware version must look like 1.0.8.1, got ${JSON.stringify(img.version)}`);
  if (Buffer.byteLength(img.model) > MODEL_LEN || !/^[\x21-\x7e]+$/.test(img.model)) throw new RangeError(`bad model ${JSON.stringify(img.model)}`);
  const h = Buffer.alloc(FW_HEADER_LEN);
  FW_MAGIC.copy(h, 0);
  h.write(img.model, 8, MODEL_LEN, 'latin1');
  h.write(img.version, 24, VERSION_LEN, 'latin1');
  h.writeBigUInt64BE(BigInt(img.buildDate), 56);
  h.writeBigUInt64BE(BigInt(img.payload.length), 64);
  createHash('sha256').update(img.payload).digest().copy(h, 72);
  keyIdOf(createPublicKey(privateKey)).copy(h, 104);
  sign(null, h.subarray(0, SIGNED_LEN), privateKey).copy(h, SIGNED_LEN);
  return Buffer.concat([h, img.payload]);
}

/** Reads the header only (no checks beyond its shape): what a slot holds, without hashing the payload. */
export function decodeFirmwareHeader(bytes: Uint8Array): FirmwareHeader {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (b.length < FW_HEADER_LEN) throw new DecodeError(`firmware image truncated: ${b.length} bytes, header needs ${FW_HEADER_LEN}`, b.length);
  if (!b.subarray(0, 8).equals(FW_MAGIC)) throw new DecodeError('not an HT813 firmware image (bad magic)', 0);
  const version = cstr(b.subarray(24, 24 + VERSION_LEN));
  if (!VERSION_RE.test(version)) throw new DecodeError(`firmware image: bad version ${JSON.stringify(version)}`, 24);
  const len = b.readBigUInt64BE(64);
  if (len > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError('firmware image: absurd payload length', 64);
  return {
    model: cstr(b.subarray(8, 8 + MODEL_LEN)),
    version,
    buildDate: Number(b.readBigUInt64BE(56)),
    payloadLength: Number(len),
    payloadSha256: Buffer.from(b.subarray(72, 104)),
    keyId: Buffer.from(b.subarray(104, 112)),
    signature: Buffer.from(b.subarray(SIGNED_LEN, FW_HEADER_LEN)),
  };
}

/** Splits an image into header and payload and checks the payload's length. Signature and hash: verifyFirmwareImage. */
export function decodeFirmwareImage(bytes: Uint8Array): FirmwareImage {
  const header = decodeFirmwareHeader(bytes);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const have = b.length - FW_HEADER_LEN;
  if (have < header.payloadLength) throw new DecodeError(`firmware image truncated: payload ${have} of ${header.payloadLength} bytes`, b.length);
  if (have > header.payloadLength) throw new DecodeError(`firmware image: ${have - header.payloadLength} bytes after the payload`, FW_HEADER_LEN + header.payloadLength);
  return { header, signed: Buffer.from(b.subarray(0, SIGNED_LEN)), payload: Buffer.from(b.subarray(FW_HEADER_LEN)) };
}

export type VerifyFailure = 'model' | 'untrusted-key' | 'signature' | 'integrity';

export interface VerifyResult {
  readonly ok: boolean;
  readonly failure?: VerifyFailure;
  readonly reason?: string;
}

/** Checks the model, that a trusted key signed the header, and that the payload matches its hash. */
export function verifyFirmwareImage(img: FirmwareImage, model: string, trusted: readonly KeyObject[]): VerifyResult {
  const h = img.header;
  if (h.model !== model) return { ok: false, failure: 'model', reason: `image is for model ${h.model}, this unit is ${model}` };
  const key = trusted.find((k) => keyIdOf(k).equals(h.keyId));
  if (!key) return { ok: false, failure: 'untrusted-key', reason: `image signed by an untrusted key (id ${h.keyId.toString('hex')})` };
  if (!verify(null, img.signed, key, h.signature)) return { ok: false, failure: 'signature', reason: 'image signature does not verify' };
  const sum = createHash('sha256').update(img.payload).digest();
  if (!sum.equals(h.payloadSha256)) return { ok: false, failure: 'integrity', reason: 'payload SHA-256 does not match the header' };
  return { ok: true };
}

function cstr(b: Buffer): string {
  const end = b.indexOf(0);
  return b.subarray(0, end < 0 ? b.length : end).toString('latin1');
}
