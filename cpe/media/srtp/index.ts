/**
 * cpe/media/srtp — SRTP and SRTCP (RFC 3711) with the AES_CM_128_HMAC_SHA1_80/_32 suites, and the
 * SDES `a=crypto` attribute (RFC 4568) that carries their keys in SDP.
 *
 * srtp-suites.ts: SRTP_SUITES, isSupportedSuite(name), srtpSuite(name) → SrtpSuite {keyLength, saltLength, authKeyLength, rtpTagLength, rtcpTagLength}
 * srtp-context.ts: new SrtpContext(suite, masterKey, masterSalt).protectRtp / unprotectRtp / protectRtcp / unprotectRtcp
 *   (unprotect throws DecodeError: 'srtp: packet too short', 'srtp: authentication failed', 'srtp: replayed packet',
 *   'srtp: packet too old', …); estimateIndex(roc, s_l, seq) (§3.3.1)
 * srtp-keys.ts: deriveSessionKeys(suite, key, salt, 'srtp'|'srtcp'), deriveKey(key, salt, label, n), SRTP_LABEL (§4.3)
 * aes-cm.ts: AesCm(key).keystream(iv, n) / .xor(...), aesCmIv(salt, ssrc, index) (§4.1.1)
 * replay-window.ts: ReplayWindow (64-packet sliding window, §3.3.2)
 * sdes.ts: decodeCryptoAttribute / encodeCryptoAttribute, cryptoLifetimePackets, newMasterKey(random)
 */
export * from './srtp-suites';
export * from './srtp-keys';
export * from './aes-cm';
export * from './replay-window';
export * from './srtp-context';
export * from './sdes';
