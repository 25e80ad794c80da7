/*
 * SDP codec (RFC 4566) and offer/answer (RFC 3264).
 * Plan: the RFC 3264 §9/§10 examples decode, re-encode byte for byte (CRLF) and re-decode equal;
 * malformed descriptions throw DecodeError; the answerer and the offerer reproduce the RFC 3264
 * §10 choices (codecs, rejected streams, directions) and the hold forms of §8.4.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DecodeError } from '../../cpe/shared/errors';
import { decodeSdp, encodeSdp } from '../../cpe/voice/sdp/sdp';
import { codecPreference, packetTimeMs, type CodecSpec } from '../../cpe/voice/sdp/codecs';
import { applyAnswer, createAnswer, createOffer, OfferAnswerError, type LocalMedia } from '../../cpe/voice/sdp/offer-answer';
import { directionOf, rtpMaps } from '../../cpe/voice/sdp/sdp-media';

const GOLDEN = path.join(__dirname, '..', 'golden', 'sdp');
const golden = (name: string): string => fs.readFileSync(path.join(GOLDEN, name), 'utf8');
const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

const PTS = { ilbc: 97, opus: 123, ilbcFrame: 0 as const };

function local(codecs: CodecSpec[], over: Partial<LocalMedia> = {}): LocalMedia {
  return { username: 'ht813', sessionId: '1000', sessionVersion: 1, address: '127.0.0.1', port: 5004, codecs, ptimeMs: 20, telephoneEventPt: 101, direction: 'sendrecv', ...over };
}

describe('sdp codec (RFC 4566)', () => {
  const roundTrip = fs.readdirSync(GOLDEN).filter((f) => f.startsWith('rfc3264-10'));
  for (const name of roundTrip) {
    it(`round-trips ${name} byte for byte`, () => {
      const text = golden(name);
      const sd = decodeSdp(text);
      assert.equal(encodeSdp(sd), crlf(text));
      assert.deepEqual(decodeSdp(encodeSdp(sd)), sd);
    });
  }

  it('decodes the RFC 3264 §9 capability description (c= after t=) and encodes it in RFC 4566 order', () => {
    const sd = decodeSdp(golden('rfc3264-9-capabilities.sdp'));
    assert.equal(sd.connection?.address, '192.0.2.4');
    assert.equal(sd.media.length, 2);
    assert.deepEqual(rtpMaps(sd.media[0]!).map((r) => r.encoding), ['PCMU', '1016', 'GSM']);
    const again = decodeSdp(encodeSdp(sd));
    assert.deepEqual(again, sd);
    assert.match(encodeSdp(sd), /s=-\r\nc=IN IP4 192\.0\.2\.4\r\nt=0 0\r\n/);
  });

  it('reads the RFC 3264 §10.1 fields', () => {
    const sd = decodeSdp(golden('rfc3264-10.1-reoffer.sdp'));
    assert.equal(sd.origin.sessionVersion, '2890844731');
    assert.deepEqual(sd.media.map((m) => [m.type, m.port]), [['audio', 65422], ['video', 0], ['video', 53000], ['audio', 51434]]);
    assert.equal(directionOf(sd, sd.media[3]!), 'recvonly');
    assert.equal(directionOf(sd, sd.media[0]!), 'sendrecv');
  });

  const bad: [string, string, RegExp][] = [
    ['empty', '', /v=/],
    ['no v= first', 'o=a 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n', /start with v=/],
    ['version 1', 'v=1\r\no=a 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n', /version/],
    ['short o=', 'v=0\r\no=a 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n', /o= line/],
    ['non-numeric session id', 'v=0\r\no=a x 1 IN IP4 h\r\ns=-\r\nt=0 0\r\n', /numeric/],
    ['missing s=', 'v=0\r\no=a 1 1 IN IP4 h\r\nt=0 0\r\n', /missing s=/],
    ['missing t=', 'v=0\r\no=a 1 1 IN IP4 h\r\ns=-\r\n', /missing t=/],
    ['unknown type', 'v=0\r\no=a 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nx=1\r\n', /unknown SDP line type/],
    ['no =', 'v=0\r\no=a 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nhello\r\n', /malformed line/],
    ['blank line inside', 'v=0\r\no=a 1 1 IN IP4 h\r\n\r\ns=-\r\nt=0 0\r\n', /empty line/],
    ['port too big', 'v=0\r\no=a 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n', /port/],
    ['m= without proto', 'v=0\r\no=a 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\nm=audio 4000\r\n', /m= line/],
    ['t= inside media', 'v=0\r\no=a 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\nt=0 0\r\n', /not allowed in a media/],
    ['media without c=', 'v=0\r\no=a 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n', /no c= line/],
    ['bad b=', 'v=0\r\no=a 1 1 IN IP4 h\r\ns=-\r\nb=AS\r\nt=0 0\r\n', /b= line/],
    ['bad attribute name', 'v=0\r\no=a 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\na=:x\r\n', /a= line/],
  ];
  for (const [what, text, msg] of bad) {
    it(`rejects ${what} with DecodeError`, () => {
      assert.throws(() => decodeSdp(text), (e: unknown) => e instanceof DecodeError && msg.test(e.message));
    });
  }

  it('rejects an oversized description', () => {
    assert.throws(() => decodeSdp('v=0\r\n' + 'a=x\r\n'.repeat(20000)), DecodeError);
  });
});

describe('codec preference (P57-P62, P46, P37)', () => {
  it('keeps the configured order and drops what media does not implement', () => {
    const list = codecPreference(['18', '8', '0', '4', '2', '97', '123'], PTS, ['PCMU', 'PCMA', 'G726-32']);
    assert.deepEqual(list.map((c) => [c.encoding, c.payloadType]), [['PCMA', 8], ['PCMU', 0], ['G726-32', 2]]);
  });
  it('removes duplicates and unknown choices', () => {
    assert.deepEqual(codecPreference(['0', '0', '77', '8'], PTS, ['PCMU', 'PCMA']).map((c) => c.encoding), ['PCMU', 'PCMA']);
  });
  it('uses P96 / P2385 for dynamic payload types', () => {
    const list = codecPreference(['97', '123'], { ilbc: 102, opus: 120, ilbcFrame: 1 }, ['iLBC', 'opus']);
    assert.deepEqual(list.map((c) => [c.encoding, c.payloadType, c.fmtp ?? '']), [['iLBC', 102, 'mode=30'], ['opus', 120, '']]);
  });
  const ptimes: [number, string, number][] = [[2, '0', 20], [1, '0', 10], [4, '0', 40], [2, '4', 60], [0, '0', 20]];
  for (const [frames, choice, ms] of ptimes) {
    it(`P37=${frames} with choice ${choice} gives ptime ${ms} (0 is invalid: the default 2 frames)`, () => {
      assert.equal(packetTimeMs(frames, codecPreference([choice], PTS, ['PCMU', 'G723'])[0]), ms);
    });
  }
});

describe('offer/answer (RFC 3264)', () => {
  const pcmu = codecPreference(['0'], PTS, ['PCMU'])[0]!;
  const pcma = codecPreference(['8'], PTS, ['PCMA'])[0]!;
  const g723 = codecPreference(['4'], PTS, ['G723'])[0]!;

  it('offers codecs in order, telephone-event, ptime and sendrecv', () => {
    const sdp = encodeSdp(createOffer(local([pcma, pcmu])));
    assert.match(sdp, /m=audio 5004 RTP\/AVP 8 0 101\r\n/);
    assert.match(sdp, /a=rtpmap:8 PCMA\/8000\r\na=rtpmap:0 PCMU\/8000\r\na=rtpmap:101 telephone-event\/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n/);
    assert.match(sdp, /c=IN IP4 127\.0\.0\.1/);
  });

  it('refuses to offer with no implemented codec', () => {
    assert.throws(() => createOffer(local([])), OfferAnswerError);
  });

  it('§10.1: accepts the audio stream and rejects both video streams', () => {
    const { answer, negotiated } = createAnswer(decodeSdp(golden('rfc3264-10.1-offer.sdp')), local([pcmu]));
    assert.deepEqual(answer.media.map((m) => [m.type, m.port]), [['audio', 5004], ['video', 0], ['video', 0]]);
    assert.equal(negotiated.remoteAddress, 'host.anywhere.com');
    assert.equal(negotiated.remotePort, 49170);
    assert.equal(negotiated.sendCodec.encoding, 'PCMU');
    assert.equal(negotiated.telephoneEventPt, undefined, 'the offer had no telephone-event');
  });

  it('§10.1: the re-offer keeps the first audio stream and rejects the events-only one (no codec)', () => {
    const { answer } = createAnswer(decodeSdp(golden('rfc3264-10.1-reoffer.sdp')), local([pcmu]));
    assert.deepEqual(answer.media.map((m) => m.port), [5004, 0, 0, 0]);
  });

  it('§10.2: answers the inactive one-of-N offer with the common codecs, inactive', () => {
    const offer = decodeSdp(golden('rfc3264-10.2-offer.sdp'));
    const { answer, negotiated } = createAnswer(offer, local([pcmu, g723]));
    const expected = decodeSdp(golden('rfc3264-10.2-answer.sdp'));
    assert.deepEqual(answer.media[0]!.formats, expected.media[0]!.formats);
    assert.equal(directionOf(answer, answer.media[0]!), directionOf(expected, expected.media[0]!));
    assert.equal(negotiated.direction, 'inactive');
  });

  it('§10.2: Alice applies Bob\'s answer, then Bob\'s side locks G.723 from the re-offer', () => {
    const alice = local([pcmu, g723, codecPreference(['18'], PTS, ['G729'])[0]!], { direction: 'inactive' });
    const n = applyAnswer(decodeSdp(golden('rfc3264-10.2-offer.sdp')), decodeSdp(golden('rfc3264-10.2-answer.sdp')), alice);
    assert.deepEqual(n.receiveCodecs.map((c) => c.encoding), ['PCMU', 'G723']);
    assert.equal(n.direction, 'inactive');
    const bob = createAnswer(decodeSdp(golden('rfc3264-10.2-reoffer.sdp')), local([pcmu, g723]));
    const expected = decodeSdp(golden('rfc3264-10.2-reanswer.sdp'));
    assert.deepEqual(bob.answer.media[0]!.formats, expected.media[0]!.formats);
    assert.equal(bob.negotiated.sendCodec.encoding, 'G723');
    assert.equal(bob.negotiated.direction, 'sendrecv');
  });

  it('answers with the offer\'s payload type numbers and telephone-event PT', () => {
    const offer = decodeSdp('v=0\r\no=x 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 7000 RTP/AVP 8 96\r\na=rtpmap:96 telephone-event/8000\r\na=ptime:30\r\n');
    const { answer, negotiated } = createAnswer(offer, local([pcmu, pcma]));
    assert.deepEqual(answer.media[0]!.formats, ['8', '96']);
    assert.equal(negotiated.telephoneEventPt, 96);
    assert.equal(negotiated.ptimeMs, 30);
    assert.equal(negotiated.remoteAddress, '10.0.0.2');
  });

  it('uses no telephone-event/8000 when the call runs on OPUS (RFC 4733 §2.1: events share the codec clock)', () => {
    const opus = codecPreference(['123'], PTS, ['opus'])[0]!;
    const offer = decodeSdp('v=0\r\no=x 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 7000 RTP/AVP 111 101\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\n');
    const { answer, negotiated } = createAnswer(offer, local([opus]));
    assert.deepEqual(answer.media[0]!.formats, ['111']);
    assert.equal(negotiated.telephoneEventPt, undefined);
  });

  it('P4363: a single codec in the answer', () => {
    const offer = decodeSdp('v=0\r\no=x 1 1 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0 8\r\n');
    assert.deepEqual(createAnswer(offer, local([pcma, pcmu], { singleCodecAnswer: true })).answer.media[0]!.formats, ['8']);
  });

  it('488 when no codec is common, or no audio is offered', () => {
    const noCommon = decodeSdp('v=0\r\no=x 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\nm=audio 7000 RTP/AVP 18\r\n');
    assert.throws(() => createAnswer(noCommon, local([pcmu])), (e: unknown) => e instanceof OfferAnswerError && e.status === 488 && e.reason === 'no-common-codec');
    const video = decodeSdp(golden('rfc3264-9-capabilities.sdp'));
    assert.throws(() => createAnswer(video, local([pcmu])), (e: unknown) => e instanceof OfferAnswerError && e.reason === 'no-audio');
  });

  const holds: [string, string, string][] = [
    ['sendonly', 'a=sendonly\r\n', 'recvonly'],
    ['inactive', 'a=inactive\r\n', 'inactive'],
    ['recvonly', 'a=recvonly\r\n', 'sendonly'],
    ['c=0.0.0.0 (RFC 2543 hold)', '', 'inactive'],
  ];
  for (const [what, line, expected] of holds) {
    it(`§8.4: a ${what} offer is answered ${expected}`, () => {
      const addr = what.startsWith('c=0') ? '0.0.0.0' : '10.0.0.2';
      const offer = decodeSdp(`v=0\r\no=x 1 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 ${addr}\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\n${line}`);
      const { answer, negotiated } = createAnswer(offer, local([pcmu]));
      assert.equal(negotiated.direction, expected);
      assert.equal(directionOf(answer, answer.media[0]!), expected);
    });
  }

  it('§8.4: our hold offer (sendonly) answered recvonly leaves us sending only; resume restores sendrecv', () => {
    const held = local([pcmu], { direction: 'sendonly', sessionVersion: 2 });
    const offer = createOffer(held);
    assert.equal(directionOf(offer, offer.media[0]!), 'sendonly');
    const reply = decodeSdp('v=0\r\no=x 1 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\na=recvonly\r\n');
    assert.equal(applyAnswer(offer, reply, held).direction, 'sendonly');
    const resumed = local([pcmu], { sessionVersion: 3 });
    const reply2 = decodeSdp('v=0\r\no=x 1 3 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\n');
    assert.equal(applyAnswer(createOffer(resumed), reply2, resumed).direction, 'sendrecv');
  });

  it('rejects an answer that changes the stream count or picks an unoffered codec', () => {
    const offer = createOffer(local([pcmu]));
    const two = decodeSdp('v=0\r\no=x 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0\r\nm=audio 7002 RTP/AVP 0\r\n');
    assert.throws(() => applyAnswer(offer, two, local([pcmu])), (e: unknown) => e instanceof OfferAnswerError && e.reason === 'bad-answer');
    const other = decodeSdp('v=0\r\no=x 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 h\r\nt=0 0\r\nm=audio 7000 RTP/AVP 8\r\n');
    assert.throws(() => applyAnswer(offer, other, local([pcmu])), (e: unknown) => e instanceof OfferAnswerError && e.reason === 'no-common-codec');
  });
});
