/**
 * SSH_MSG_KEXINIT (RFC 4253 §7.1): 16 random cookie bytes, ten name-lists, first_kex_packet_follows
 * and a reserved uint32. The whole payload is kept: the exchange hash covers it byte for byte.
 */
import { DecodeError } from '../../shared/errors';
import { COMPRESSION, CIPHERS, HOST_KEY_ALGORITHMS, KEX_ALGORITHMS, MACS, STRICT_KEX_SERVER, type ClientLists } from './algorithms';
import { MSG } from './messages';
import { SshReader, SshWriter } from './wire';

export interface KexInit extends ClientLists {
  readonly cookie: Buffer;
  readonly languagesC2s: readonly string[];
  readonly languagesS2c: readonly string[];
  readonly firstKexPacketFollows: boolean;
}

export function decodeKexInit(payload: Buffer): KexInit {
  const r = new SshReader(payload);
  if (r.byte() !== MSG.KEXINIT) throw new DecodeError('not a KEXINIT', 0);
  const cookie = r.bytes(16, 'cookie');
  const out: KexInit = {
    cookie,
    kex: r.nameList('kex_algorithms'),
    hostKey: r.nameList('server_host_key_algorithms'),
    cipherC2s: r.nameList('encryption_algorithms_client_to_server'),
    cipherS2c: r.nameList('encryption_algorithms_server_to_client'),
    macC2s: r.nameList('mac_algorithms_client_to_server'),
    macS2c: r.nameList('mac_algorithms_server_to_client'),
    compressionC2s: r.nameList('compression_algorithms_client_to_server'),
    compressionS2c: r.nameList('compression_algorithms_server_to_client'),
    languagesC2s: r.nameList('languages_client_to_server'),
    languagesS2c: r.nameList('languages_server_to_client'),
    firstKexPacketFollows: r.bool(),
  };
  r.uint32(); // reserved
  return out;
}

/** The unit's KEXINIT payload; `withStrictMarker` only in the first one (OpenSSH PROTOCOL §1.10). */
export function encodeServerKexInit(cookie: Buffer, withStrictMarker: boolean): Buffer {
  const list = (names: readonly string[]) => names as string[];
  return new SshWriter()
    .byte(MSG.KEXINIT)
    .raw(cookie.subarray(0, 16))
    .nameList(withStrictMarker ? [...KEX_ALGORITHMS, STRICT_KEX_SERVER] : list(KEX_ALGORITHMS))
    .nameList(list(HOST_KEY_ALGORITHMS))
    .nameList(list(CIPHERS))
    .nameList(list(CIPHERS))
    .nameList(list(MACS))
    .nameList(list(MACS))
    .nameList(list(COMPRESSION))
    .nameList(list(COMPRESSION))
    .nameList([])
    .nameList([])
    .bool(false)
    .uint32(0)
    .toBuffer();
}
