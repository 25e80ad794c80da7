/**
 * SRTP keys in SDP by SDES (RFC 4568) for one audio stream, as P183 asks: 'off' offers and
 * accepts plain RTP only; 'optional' (enabled, not forced) offers RTP/AVP carrying a=crypto lines
 * and takes SRTP whenever the peer does, plain RTP otherwise; 'forced' offers RTP/SAVP and
 * refuses a stream without usable keys. Choice [?]: the user guide gives only the three P183
 * names; offering RTP/AVP with crypto lines for 'optional' is the common "best effort" form
 * (baresip's `srtp`, Asterisk), which a peer without SRTP simply answers without crypto.
 */
import type { Random } from '../../shared/random';
import { decodeCryptoAttribute, encodeCryptoAttribute, isSupportedSuite, type CryptoAttribute } from '../../media/srtp';
import type { SdpAttribute, SdpMedia } from './sdp';

export type SrtpMode = 'off' | 'optional' | 'forced';

/** The suites we offer, in preference order (RFC 4568 §6.2). */
export const OFFERED_SUITES = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] as const;

/** P2363 on: our crypto lines carry the master key lifetime, 2^31 packets (RFC 3711 §9.2 SRTCP bound). */
const LIFETIME = '2^31';

export interface SrtpKey {
  readonly suite: string;
  readonly key: Buffer;
  readonly salt: Buffer;
}

export interface LocalSrtp {
  readonly mode: SrtpMode;
  /** Our master key and salt per offered suite (fresh for each call, from the injected Random). */
  readonly keys: readonly SrtpKey[];
  /** P2363: write the key lifetime in our crypto lines. */
  readonly lifetime: boolean;
}

/** Keys both sides agreed on: we protect with `local` and unprotect with `remote`. */
export interface NegotiatedSrtp {
  readonly suite: string;
  readonly local: SrtpKey;
  readonly remote: SrtpKey;
}

/** Fresh master keys for every offered suite: 16-byte key, 14-byte salt (RFC 4568 §6.2). */
export function newLocalKeys(random: Random): SrtpKey[] {
  return OFFERED_SUITES.map((suite) => {
    const b = random.bytes(30);
    return { suite, key: Buffer.from(b.subarray(0, 16)), salt: Buffer.from(b.subarray(16, 30)) };
  });
}

/** The m= line's transport protocol for our offer. */
export function offerProto(srtp: LocalSrtp | undefined): string {
  return srtp?.mode === 'forced' ? 'RTP/SAVP' : 'RTP/AVP';
}

function line(tag: number, k: SrtpKey, lifetime: boolean): SdpAttribute {
  return { name: 'crypto', value: encodeCryptoAttribute({ tag, suite: k.suite, keyParams: [{ method: 'inline', key: k.key, salt: k.salt, ...(lifetime ? { lifetime: LIFETIME } : {}) }], sessionParams: [] }) };
}

/** Our offer's crypto lines: tag i+1 for the i-th key (none when SRTP is off). */
export function offerCrypto(srtp: LocalSrtp | undefined): SdpAttribute[] {
  if (!srtp || srtp.mode === 'off') return [];
  return srtp.keys.map((k, i) => line(i + 1, k, srtp.lifetime));
}

/** Crypto lines of a stream we can use: a supported suite, one inline key without MKI, no session parameters (RFC 4568 §6.3.2: unknown ones refuse the line). */
function usableCrypto(m: SdpMedia): CryptoAttribute[] {
  const out: CryptoAttribute[] = [];
  for (const a of m.attributes) {
    if (a.name !== 'crypto' || a.value === undefined) continue;
    let c: CryptoAttribute;
    try {
      c = decodeCryptoAttribute(a.value);
    } catch {
      continue; // a malformed line is skipped like an unknown suite
    }
    const kp = c.keyParams[0];
    if (!isSupportedSuite(c.suite) || c.keyParams.length !== 1 || !kp || kp.mki !== undefined || c.sessionParams.length > 0) continue;
    out.push(c);
  }
  return out;
}

export type AnswerSrtp =
  | { readonly ok: true; readonly attribute?: SdpAttribute; readonly negotiated?: NegotiatedSrtp }
  | { readonly ok: false; readonly why: string };

/**
 * The answerer's choice for an offered audio stream (RFC 4568 §7.1.2): the offer's first usable
 * crypto line, answered with the same tag and suite and our own key; or plain RTP where P183 and
 * the offer's profile allow it.
 */
export function answerSrtp(m: SdpMedia, srtp: LocalSrtp | undefined): AnswerSrtp {
  const mode = srtp?.mode ?? 'off';
  const secure = /^RTP\/SAVP$/i.test(m.proto);
  if (mode === 'off') return secure ? { ok: false, why: 'the offer asks for SRTP (RTP/SAVP) and SRTP is disabled' } : { ok: true };
  const theirs = usableCrypto(m).find((c) => srtp!.keys.some((k) => k.suite === c.suite));
  if (!theirs) {
    if (secure || mode === 'forced') return { ok: false, why: 'no usable SRTP crypto line in the offer and SRTP is required' };
    return { ok: true };
  }
  const mine = srtp!.keys.find((k) => k.suite === theirs.suite)!;
  const kp = theirs.keyParams[0]!;
  return { ok: true, attribute: line(theirs.tag, mine, srtp!.lifetime), negotiated: { suite: theirs.suite, local: mine, remote: { suite: theirs.suite, key: kp.key, salt: kp.salt } } };
}

/**
 * The offerer's reading of the answer (RFC 4568 §7.1.3): the answered crypto line must carry a tag
 * we offered with the same suite. Without one, plain RTP unless we required SRTP.
 */
export function applyAnswerSrtp(m: SdpMedia, srtp: LocalSrtp | undefined): { readonly ok: true; readonly negotiated?: NegotiatedSrtp } | { readonly ok: false; readonly why: string } {
  if (!srtp || srtp.mode === 'off') return { ok: true };
  for (const c of usableCrypto(m)) {
    const mine = srtp.keys[c.tag - 1];
    if (mine && mine.suite === c.suite) {
      const kp = c.keyParams[0]!;
      return { ok: true, negotiated: { suite: c.suite, local: mine, remote: { suite: c.suite, key: kp.key, salt: kp.salt } } };
    }
  }
  if (srtp.mode === 'forced' || /^RTP\/SAVP$/i.test(m.proto)) return { ok: false, why: 'the answer holds no crypto line for a suite we offered' };
  return { ok: true };
}
