/**
 * SDP of fax pass-through (ITU-T V.152 voiceband data over G.711) and what a peer's offer says
 * about fax. Pure functions.
 *  - Our pass-through offers and answers list PCMU/PCMA only (no CN: RFC 3389 comfort noise means
 *    silence suppression), with a=silenceSupp:off - - - - (RFC 3108 §5.6.3.2, as V.152 uses it)
 *    and a=gpmd:<pt> vbd=yes on each payload type (V.152's voiceband-data marker). A peer that
 *    knows neither attribute ignores them (RFC 4566 §5.13).
 *  - A peer's re-INVITE asks for pass-through when it marks its audio vbd=yes, or newly turns
 *    silenceSupp off on a G.711-only stream (some gateways write silenceSupp:off on every call,
 *    so only the change counts).
 *  - A T.38 offer is an m=image stream with t38 over UDPTL (T.38 Annex D); we have no T.38.
 */
import type { CodecSpec } from './codecs';
import type { SdpAttribute, SdpMedia, SessionDescription } from './sdp';
import { rtpMaps } from './sdp-media';

const G711: readonly string[] = ['PCMU', 'PCMA'];

export function isG711(encoding: string | undefined): boolean {
  return encoding !== undefined && G711.includes(encoding.toUpperCase());
}

/** The G.711 codecs of a line's preference, in its order; PCMU then PCMA when it lists neither. */
export function faxCodecs(codecs: readonly CodecSpec[]): CodecSpec[] {
  const mine = codecs.filter((c) => isG711(c.encoding));
  if (mine.length > 0) return mine;
  return [
    { encoding: 'PCMU', payloadType: 0, clockRate: 8000, frameMs: 10 },
    { encoding: 'PCMA', payloadType: 8, clockRate: 8000, frameMs: 10 },
  ];
}

/** The attributes marking an audio stream as voiceband data. */
export function passThroughAttributes(payloadTypes: readonly number[]): SdpAttribute[] {
  return [{ name: 'silenceSupp', value: 'off - - - -' }, ...payloadTypes.map((pt) => ({ name: 'gpmd', value: `${pt} vbd=yes` }))];
}

export interface FaxMarks {
  /** An m=image stream offering T.38 (port not 0). */
  readonly t38: boolean;
  /** The first active audio stream has a=gpmd:… vbd=yes. */
  readonly vbd: boolean;
  /** … or a=silenceSupp:off. */
  readonly silenceSuppOff: boolean;
  /** … and lists no codec but PCMU, PCMA and telephone-event. */
  readonly g711Only: boolean;
}

function attrs(m: SdpMedia, name: string): SdpAttribute[] {
  return m.attributes.filter((a) => a.name.toLowerCase() === name.toLowerCase());
}

export function faxMarks(sd: SessionDescription): FaxMarks {
  const t38 = sd.media.some((m) => m.type === 'image' && m.port !== 0 && /udptl/i.test(m.proto) && m.formats.some((f) => f.toLowerCase() === 't38'));
  const audio = sd.media.find((m) => m.type === 'audio' && m.port !== 0);
  if (!audio) return { t38, vbd: false, silenceSuppOff: false, g711Only: false };
  const vbd = attrs(audio, 'gpmd').some((a) => /\bvbd=yes\b/i.test(a.value ?? ''));
  const silenceSuppOff = attrs(audio, 'silenceSupp').some((a) => /^off\b/i.test((a.value ?? '').trim()));
  const maps = rtpMaps(audio);
  const g711Only = maps.length > 0 && maps.every((r) => isG711(r.encoding) || r.encoding.toLowerCase() === 'telephone-event');
  return { t38, vbd, silenceSuppOff, g711Only };
}

/**
 * What a re-INVITE's offer asks about fax: 't38', 'passThrough', or nothing. `before` are the
 * marks of the peer's previous session description.
 */
export function faxRequest(offer: FaxMarks, before: FaxMarks | undefined): 't38' | 'passThrough' | undefined {
  if (offer.t38) return 't38';
  if (offer.vbd) return 'passThrough';
  if (offer.silenceSuppOff && offer.g711Only && !before?.silenceSuppOff) return 'passThrough';
  return undefined;
}
