/**
 * SDP offer/answer (RFC 3264) for one audio stream: the offer from the line's codec preference,
 * ptime and telephone-event (RFC 4733 §7), the answer to a peer's offer, the check of a peer's
 * answer, and hold/resume by direction (RFC 3264 §8.4). Pure functions: the caller keeps the
 * session id/version and the local RTP port.
 */
import { DecodeError } from '../../shared/errors';
import { HtError } from '../../shared/errors';
import type { CodecSpec } from './codecs';
import { passThroughAttributes } from './fax-sdp';
import type { SdpAttribute, SdpMedia, SessionDescription } from './sdp';
import { answerDirection, connectionAddress, directionOf, fmtpOf, isNullAddress, ptimeOf, rtpMaps, type Direction } from './sdp-media';
import { answerSrtp, applyAnswerSrtp, offerCrypto, offerProto, type LocalSrtp, type NegotiatedSrtp } from './srtp-negotiation';

/** Why negotiation failed; `status` is what a UAS answers (RFC 3261 §21.4.26 488). */
export class OfferAnswerError extends HtError {
  constructor(
    readonly reason: 'no-audio' | 'no-common-codec' | 'bad-answer',
    message: string,
    readonly status = 488,
  ) {
    super('ERR_OFFER_ANSWER', message);
  }
}

export interface LocalMedia {
  /** o= username (the unit's user, or '-'). */
  readonly username: string;
  readonly sessionId: string;
  /** Incremented by the caller on every new offer/answer that changes something (RFC 3264 §8). */
  readonly sessionVersion: number;
  readonly address: string;
  readonly port: number;
  /** In preference order, already filtered to what the media layer implements. */
  readonly codecs: readonly CodecSpec[];
  readonly ptimeMs: number;
  /** RFC 4733 telephone-event payload type (P79); undefined = not offered. */
  readonly telephoneEventPt?: number;
  /** What this side wants: 'sendrecv' normally, 'sendonly' to hold (RFC 3264 §8.4). */
  readonly direction: Direction;
  /** P4363: put only the first matching vocoder in an answer. */
  readonly singleCodecAnswer?: boolean;
  /** P183 and our SDES keys (srtp-negotiation.ts); undefined = plain RTP only. */
  readonly srtp?: LocalSrtp;
  /** Fax pass-through: the stream is marked as voiceband data (fax-sdp.ts); codecs are G.711 already. */
  readonly passThrough?: boolean;
}

/** What both sides agreed, from this side's point of view: what the media session needs. */
export interface NegotiatedMedia {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The codec this side sends with (first common codec of the answer, RFC 3264 §6.1). */
  readonly sendCodec: CodecSpec;
  /** Every codec this side must be ready to receive. */
  readonly receiveCodecs: readonly CodecSpec[];
  readonly telephoneEventPt?: number;
  readonly ptimeMs: number;
  /** This side's direction: whether to send and whether to play what arrives. */
  readonly direction: Direction;
  /** SRTP keys when both sides agreed on SDES (RFC 4568); undefined = plain RTP. */
  readonly srtp?: NegotiatedSrtp;
}

function addrType(address: string): 'IP4' | 'IP6' {
  return address.includes(':') ? 'IP6' : 'IP4';
}

function audioMedia(local: LocalMedia, codecs: readonly CodecSpec[], telephoneEventPt: number | undefined, direction: Direction, port: number, proto: string, crypto: readonly SdpAttribute[]): SdpMedia {
  const attributes: SdpAttribute[] = [];
  for (const c of codecs) {
    attributes.push({ name: 'rtpmap', value: `${c.payloadType} ${c.encoding}/${c.clockRate}${c.channels ? `/${c.channels}` : ''}` });
    if (c.fmtp) attributes.push({ name: 'fmtp', value: `${c.payloadType} ${c.fmtp}` });
  }
  if (telephoneEventPt !== undefined) {
    attributes.push({ name: 'rtpmap', value: `${telephoneEventPt} telephone-event/8000` });
    attributes.push({ name: 'fmtp', value: `${telephoneEventPt} 0-15` });
  }
  attributes.push({ name: 'ptime', value: String(local.ptimeMs) });
  attributes.push({ name: direction });
  attributes.push(...crypto);
  if (local.passThrough) attributes.push(...passThroughAttributes(codecs.map((c) => c.payloadType)));
  const formats = codecs.map((c) => String(c.payloadType));
  if (telephoneEventPt !== undefined) formats.push(String(telephoneEventPt));
  return { type: 'audio', port, proto, formats, connections: [], bandwidths: [], attributes };
}

function session(local: LocalMedia, media: SdpMedia[]): SessionDescription {
  return {
    version: 0,
    origin: { username: local.username || '-', sessionId: local.sessionId, sessionVersion: String(local.sessionVersion), netType: 'IN', addrType: addrType(local.address), address: local.address },
    sessionName: 'SIP Call',
    emails: [],
    phones: [],
    connection: { netType: 'IN', addrType: addrType(local.address), address: local.address },
    bandwidths: [],
    timing: [{ start: '0', stop: '0', repeats: [] }],
    attributes: [],
    media,
  };
}

/** RFC 3264 §5: an offer with one audio stream. */
export function createOffer(local: LocalMedia): SessionDescription {
  if (local.codecs.length === 0) throw new OfferAnswerError('no-common-codec', 'no vocoder configured that the media layer implements', 500);
  return session(local, [audioMedia(local, local.codecs, local.telephoneEventPt, local.direction, local.port, offerProto(local.srtp), offerCrypto(local.srtp))]);
}

function sameCodec(c: CodecSpec, encoding: string, clockRate: number): boolean {
  return c.encoding.toLowerCase() === encoding.toLowerCase() && c.clockRate === clockRate;
}

function remoteEndpoint(sd: SessionDescription, m: SdpMedia): { address: string; port: number } {
  const address = connectionAddress(sd, m);
  if (address === undefined) throw new DecodeError('audio stream without connection address', 0);
  return { address, port: m.port };
}

/**
 * RFC 3264 §6: answers a peer's offer. The first audio stream with a common codec is accepted
 * (codecs in this side's preference, payload types as the offer numbered them), every other
 * stream is rejected with port 0. Throws OfferAnswerError (488) when nothing fits.
 */
export function createAnswer(offer: SessionDescription, local: LocalMedia): { answer: SessionDescription; negotiated: NegotiatedMedia } {
  let accepted: { index: number; negotiated: NegotiatedMedia; media: SdpMedia } | undefined;
  let refusedSrtp: string | undefined;
  offer.media.forEach((m, index) => {
    if (accepted || m.type !== 'audio' || m.port === 0 || !/^RTP\/S?AVP$/i.test(m.proto)) return;
    const srtp = answerSrtp(m, local.srtp);
    if (!srtp.ok) {
      refusedSrtp = srtp.why;
      return;
    }
    const maps = rtpMaps(m);
    const common: CodecSpec[] = [];
    for (const mine of local.codecs) {
      const theirs = maps.find((r) => sameCodec(mine, r.encoding, r.clockRate));
      if (theirs && !common.some((c) => c.encoding === mine.encoding)) common.push({ ...mine, payloadType: theirs.payloadType, fmtp: fmtpOf(m, theirs.payloadType) ?? mine.fmtp });
    }
    if (common.length === 0) return;
    const chosen = local.singleCodecAnswer ? common.slice(0, 1) : common;
    // RFC 4733 §2.1: events use the audio codec's clock; we offer telephone-event/8000 only, so an
    // OPUS (48 kHz) call sends DTMF in audio instead.
    const te =
      local.telephoneEventPt === undefined || (chosen[0] as CodecSpec).clockRate !== 8000
        ? undefined
        : maps.find((r) => r.encoding.toLowerCase() === 'telephone-event' && r.clockRate === 8000)?.payloadType;
    const offered = directionOf(offer, m);
    const remote = remoteEndpoint(offer, m);
    const held = isNullAddress(remote.address);
    const wantSend = local.direction === 'sendrecv' || local.direction === 'sendonly';
    const wantRecv = local.direction === 'sendrecv' || local.direction === 'recvonly';
    const direction = held ? 'inactive' : answerDirection(offered, wantSend, wantRecv);
    const ptimeMs = ptimeOf(m) ?? local.ptimeMs;
    const sendCodec = chosen[0] as CodecSpec;
    accepted = {
      index,
      media: audioMedia({ ...local, ptimeMs }, chosen, te, direction, local.port, m.proto, srtp.attribute ? [srtp.attribute] : []),
      negotiated: { remoteAddress: remote.address, remotePort: remote.port, sendCodec, receiveCodecs: chosen, ...(te !== undefined ? { telephoneEventPt: te } : {}), ptimeMs, direction, ...(srtp.negotiated ? { srtp: srtp.negotiated } : {}) },
    };
  });
  if (!accepted) {
    const hasAudio = offer.media.some((m) => m.type === 'audio' && m.port !== 0);
    if (refusedSrtp !== undefined) throw new OfferAnswerError('no-common-codec', refusedSrtp);
    throw hasAudio ? new OfferAnswerError('no-common-codec', 'no codec in common with the offer') : new OfferAnswerError('no-audio', 'the offer has no usable audio stream');
  }
  const found = accepted;
  const media = offer.media.map((m, i) => (i === found.index ? found.media : { type: m.type, port: 0, proto: m.proto, formats: m.formats.slice(0, 1), connections: [], bandwidths: [], attributes: [] }));
  return { answer: session(local, media), negotiated: found.negotiated };
}

/**
 * RFC 3264 §5–6: applies the peer's answer to our offer. The answer must keep our stream count;
 * the first codec of the answered audio stream that we offered is the one we send.
 */
export function applyAnswer(offer: SessionDescription, answer: SessionDescription, local: LocalMedia): NegotiatedMedia {
  if (answer.media.length !== offer.media.length) throw new OfferAnswerError('bad-answer', `answer has ${answer.media.length} m= lines, offer had ${offer.media.length}`);
  const idx = offer.media.findIndex((m) => m.type === 'audio');
  const m = answer.media[idx];
  if (idx < 0 || !m || m.type !== 'audio') throw new OfferAnswerError('bad-answer', 'answer has no audio stream where the offer had one');
  if (m.port === 0) throw new OfferAnswerError('no-common-codec', 'the peer rejected the audio stream');
  const srtp = applyAnswerSrtp(m, local.srtp);
  if (!srtp.ok) throw new OfferAnswerError('bad-answer', srtp.why);
  const maps = rtpMaps(m);
  const common: CodecSpec[] = [];
  for (const r of maps) {
    const mine = local.codecs.find((c) => sameCodec(c, r.encoding, r.clockRate));
    if (mine && !common.some((c) => c.encoding === mine.encoding)) common.push({ ...mine, payloadType: r.payloadType });
  }
  const sendCodec = common[0];
  if (!sendCodec) throw new OfferAnswerError('no-common-codec', 'the answer holds no codec we offered');
  const remote = remoteEndpoint(answer, m);
  const te =
    local.telephoneEventPt === undefined || sendCodec.clockRate !== 8000
      ? undefined
      : maps.find((r) => r.encoding.toLowerCase() === 'telephone-event' && r.clockRate === 8000)?.payloadType;
  const answered = directionOf(answer, m);
  const ours = local.direction;
  // Our effective direction is what we asked for, narrowed by what the peer answered.
  const send = (ours === 'sendrecv' || ours === 'sendonly') && (answered === 'sendrecv' || answered === 'recvonly');
  const recv = (ours === 'sendrecv' || ours === 'recvonly') && (answered === 'sendrecv' || answered === 'sendonly');
  const direction: Direction = isNullAddress(remote.address) ? 'inactive' : send && recv ? 'sendrecv' : send ? 'sendonly' : recv ? 'recvonly' : 'inactive';
  return { remoteAddress: remote.address, remotePort: remote.port, sendCodec, receiveCodecs: common, ...(te !== undefined ? { telephoneEventPt: te } : {}), ptimeMs: ptimeOf(m) ?? local.ptimeMs, direction, ...(srtp.negotiated ? { srtp: srtp.negotiated } : {}) };
}
