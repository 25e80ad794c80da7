/*
 * SRTP keys by SDES in offer/answer (RFC 4568 §7) as P183 asks: off, enabled not forced
 * (RTP/AVP with crypto lines), enabled and forced (RTP/SAVP).
 */
import assert from 'node:assert/strict';
import { SeededRandom } from '../../cpe/shared/random';
import { decodeSdp, encodeSdp, type SdpMedia } from '../../cpe/voice/sdp/sdp';
import { codecPreference } from '../../cpe/voice/sdp/codecs';
import { applyAnswer, createAnswer, createOffer, OfferAnswerError, type LocalMedia } from '../../cpe/voice/sdp/offer-answer';
import { newLocalKeys, type SrtpMode } from '../../cpe/voice/sdp/srtp-negotiation';

const codecs = codecPreference(['0', '8'], { ilbc: 97, opus: 123, ilbcFrame: 0 }, ['PCMU', 'PCMA']);

function side(mode: SrtpMode | undefined, seed: number, over: Partial<LocalMedia> = {}): LocalMedia {
  const srtp = mode === undefined ? {} : { srtp: { mode, keys: newLocalKeys(new SeededRandom(seed)), lifetime: true } };
  return { username: 'ht813', sessionId: '1', sessionVersion: 1, address: '127.0.0.1', port: 5004, codecs, ptimeMs: 20, telephoneEventPt: 101, direction: 'sendrecv', ...srtp, ...over };
}

const crypto = (m: SdpMedia): string[] => m.attributes.filter((a) => a.name === 'crypto').map((a) => a.value ?? '');

/** A peer's offer (baresip-like): `proto`, and crypto lines given as text. */
function peerOffer(proto: string, lines: string[]): string {
  return (
    'v=0\r\no=peer 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\n' +
    `m=audio 40000 ${proto} 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n` +
    lines.map((l) => `a=crypto:${l}\r\n`).join('')
  );
}

const KEY80 = 'PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR';

describe('SRTP in SDP (SDES, RFC 4568) by P183', () => {
  it('offers: off = RTP/AVP without keys; enabled = RTP/AVP with a line per suite; forced = RTP/SAVP', () => {
    const off = createOffer(side('off', 1)).media[0]!;
    assert.equal(off.proto, 'RTP/AVP');
    assert.deepEqual(crypto(off), []);
    const opt = createOffer(side('optional', 1)).media[0]!;
    assert.equal(opt.proto, 'RTP/AVP');
    const lines = crypto(opt);
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^1 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/]{40}\|2\^31$/);
    assert.match(lines[1]!, /^2 AES_CM_128_HMAC_SHA1_32 inline:[A-Za-z0-9+/]{40}\|2\^31$/);
    assert.notEqual(lines[0]!.split(' ')[2], lines[1]!.split(' ')[2], 'each line has its own key');
    assert.equal(createOffer(side('forced', 1)).media[0]!.proto, 'RTP/SAVP');
    // P2363 off: no lifetime
    const noLife = createOffer(side(undefined, 1, { srtp: { mode: 'optional', keys: newLocalKeys(new SeededRandom(1)), lifetime: false } })).media[0]!;
    assert.match(crypto(noLife)[0]!, /inline:[A-Za-z0-9+/]{40}$/);
  });

  it('answers an RTP/SAVP offer with the same tag and suite and its own key; the keys cross', () => {
    const { answer, negotiated } = createAnswer(decodeSdp(peerOffer('RTP/SAVP', [`7 AES_CM_128_HMAC_SHA1_80 inline:${KEY80}`])), side('optional', 2));
    const m = answer.media[0]!;
    assert.equal(m.proto, 'RTP/SAVP');
    const [tag, suite, key] = crypto(m)[0]!.split(' ');
    assert.equal(tag, '7');
    assert.equal(suite, 'AES_CM_128_HMAC_SHA1_80');
    assert.notEqual(key, `inline:${KEY80}`);
    assert.ok(negotiated.srtp);
    assert.equal(Buffer.concat([negotiated.srtp.remote.key, negotiated.srtp.remote.salt]).toString('base64'), KEY80);
    assert.equal(Buffer.concat([negotiated.srtp.local.key, negotiated.srtp.local.salt]).toString('base64'), key!.slice('inline:'.length, 'inline:'.length + 40));
  });

  it('refuses with 488 what P183 cannot take, naming why', () => {
    const refuse = (offer: string, mode: SrtpMode, why: RegExp): void => {
      assert.throws(() => createAnswer(decodeSdp(offer), side(mode, 3)), (e: unknown) => e instanceof OfferAnswerError && e.status === 488 && why.test(e.message));
    };
    refuse(peerOffer('RTP/SAVP', [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY80}`]), 'off', /SRTP is disabled/);
    refuse(peerOffer('RTP/AVP', []), 'forced', /SRTP is required/);
    refuse(peerOffer('RTP/SAVP', [`1 AES_256_CM_HMAC_SHA1_80 inline:${KEY80}${KEY80.slice(0, 16)}`]), 'optional', /no usable SRTP crypto line/);
  });

  it('takes plain RTP where allowed: an RTP/AVP offer without keys, or with keys while SRTP is off', () => {
    const plain = createAnswer(decodeSdp(peerOffer('RTP/AVP', [])), side('optional', 4));
    assert.equal(plain.negotiated.srtp, undefined);
    assert.deepEqual(crypto(plain.answer.media[0]!), []);
    const off = createAnswer(decodeSdp(peerOffer('RTP/AVP', [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY80}`])), side('off', 4));
    assert.equal(off.negotiated.srtp, undefined);
    assert.deepEqual(crypto(off.answer.media[0]!), []);
    assert.equal(off.answer.media[0]!.proto, 'RTP/AVP');
  });

  it('skips crypto lines it cannot honour (MKI, session parameters, unknown suites, bad keys) for a later one', () => {
    const offer = peerOffer('RTP/SAVP', [
      `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY80}|2^20|1:4`,
      `2 AES_CM_128_HMAC_SHA1_80 inline:${KEY80} UNENCRYPTED_SRTP`,
      `3 F8_128_HMAC_SHA1_80 inline:${KEY80}`,
      '4 AES_CM_128_HMAC_SHA1_80 inline:not-base64!',
      `5 AES_CM_128_HMAC_SHA1_32 inline:${KEY80}`,
    ]);
    const { answer, negotiated } = createAnswer(decodeSdp(offer), side('forced', 5));
    assert.equal(crypto(answer.media[0]!)[0]!.split(' ').slice(0, 2).join(' '), '5 AES_CM_128_HMAC_SHA1_32');
    assert.equal(negotiated.srtp?.suite, 'AES_CM_128_HMAC_SHA1_32');
  });

  it('the offerer takes the answered tag: its own key for that suite, the peer key', () => {
    const a = side('optional', 6);
    const b = side('forced', 7);
    const offer = createOffer(a);
    const { answer, negotiated: atB } = createAnswer(decodeSdp(encodeSdp(offer)), b);
    const atA = applyAnswer(offer, decodeSdp(encodeSdp(answer)), a);
    assert.ok(atA.srtp && atB.srtp);
    assert.equal(atA.srtp.suite, 'AES_CM_128_HMAC_SHA1_80');
    assert.ok(atA.srtp.local.key.equals(a.srtp!.keys[0]!.key));
    assert.ok(atA.srtp.local.key.equals(atB.srtp.remote.key) && atA.srtp.local.salt.equals(atB.srtp.remote.salt));
    assert.ok(atB.srtp.local.key.equals(atA.srtp.remote.key) && atB.srtp.local.salt.equals(atA.srtp.remote.salt));
  });

  it('the offerer: no usable crypto in the answer is plain RTP when not forced, an unusable answer when forced', () => {
    const plainAnswer = decodeSdp(peerOffer('RTP/AVP', []));
    const opt = side('optional', 8);
    assert.equal(applyAnswer(createOffer(opt), plainAnswer, opt).srtp, undefined);
    const forced = side('forced', 8);
    assert.throws(() => applyAnswer(createOffer(forced), plainAnswer, forced), (e: unknown) => e instanceof OfferAnswerError && e.reason === 'bad-answer');
    // a tag we offered but with another suite is not ours
    const wrongSuite = decodeSdp(peerOffer('RTP/SAVP', [`1 AES_CM_128_HMAC_SHA1_32 inline:${KEY80}`]));
    assert.throws(() => applyAnswer(createOffer(forced), wrongSuite, forced), /no crypto line for a suite we offered/);
  });
});
