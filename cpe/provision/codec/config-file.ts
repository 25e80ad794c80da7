/**
 * One entry point for a downloaded config file: tells binary, encrypted XML and XML apart by
 * their first bytes and decodes with the matching codec. Pure.
 */
import { DecodeError } from '../../shared/errors';
import type { ConfigEntries } from './config-entries';
import { decodeBinaryConfig, looksLikeBinaryConfig } from './binary-config';
import { decryptConfig, looksEncrypted, type KdfDigest } from './encrypted-config';
import { decodeXmlConfig, looksLikeXml } from './xml-config';

export type ConfigFormat = 'binary' | 'xml' | 'encrypted-xml';

export interface DecodedConfig {
  readonly format: ConfigFormat;
  readonly entries: ConfigEntries;
  /** The MAC the file names (binary header or XML `<mac>`), when it names one. */
  readonly mac?: string;
  /** The key derivation digest that opened an encrypted file. */
  readonly digest?: KdfDigest;
}

export interface DecodeConfigOptions {
  /** The unit's MAC: a file for another unit is refused. Omit to accept any (operator tools). */
  readonly mac?: string;
  /** P1359, for encrypted XML. */
  readonly password?: string;
}

export function decodeConfigFile(bytes: Uint8Array, opts: DecodeConfigOptions = {}): DecodedConfig {
  if (bytes.length === 0) throw new DecodeError('empty config file', 0);
  if (looksEncrypted(bytes)) {
    const { plain, digest } = decryptConfig(bytes, opts.password ?? '', looksLikeXml);
    const x = decodeXmlConfig(plain, opts.mac);
    return x.mac === undefined ? { format: 'encrypted-xml', entries: x.entries, digest } : { format: 'encrypted-xml', entries: x.entries, mac: x.mac, digest };
  }
  if (looksLikeBinaryConfig(bytes)) {
    const b = decodeBinaryConfig(bytes, opts.mac);
    return { format: 'binary', entries: b.entries, mac: b.mac };
  }
  if (looksLikeXml(bytes)) {
    const x = decodeXmlConfig(bytes, opts.mac);
    return x.mac === undefined ? { format: 'xml', entries: x.entries } : { format: 'xml', entries: x.entries, mac: x.mac };
  }
  throw new DecodeError('not a config file: neither XML, nor a binary cfg header, nor an OpenSSL Salted__ file', 0);
}
