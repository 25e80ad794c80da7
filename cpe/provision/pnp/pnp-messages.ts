/**
 * SIP plug-and-play provisioning ("3CX Auto Provision", P1414; reference §2): what the unit sends
 * and what it accepts. At boot the unit SUBSCRIBEs to the `ua-profile` event
 * (draft-ietf-sipping-config-framework §5.1) on the SIP multicast address 224.0.1.75:5060
 * (IANA "sip.mcast.net", RFC 3261 §18.1.1); a PBX that knows the unit answers 200 and sends a
 * NOTIFY whose application/url body is its provisioning server. Pure functions.
 */
import { HtError } from '../../shared/errors';
import type { SipRequest } from '../../voice/sip/syntax/message';
import type { HostPort } from '../../voice/sip/transport/transport';
import { redact } from '../server-urls';

/** Where the SUBSCRIBE goes unless the unit's command line says otherwise (--pnp-target). */
export const PNP_MULTICAST = '224.0.1.75:5060';

/** The schemes a config server path may carry (server-urls.ts). */
const SCHEMES = new Set(['tftp:', 'http:', 'https:', 'ftp:', 'ftps:']);

/** A NOTIFY we refuse, with the SIP status that says why (RFC 6665 §4.1.3). */
export class PnpError extends HtError {
  constructor(
    readonly status: 400 | 415 | 481 | 489,
    message: string,
  ) {
    super('ERR_PNP_NOTIFY', message);
  }
}

/** `host:port` (IPv4, or an IPv6 literal in brackets) of --pnp-target; throws TypeError naming the problem. */
export function parsePnpTarget(text: string): HostPort {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+)):([0-9]{1,5})$/.exec(text.trim());
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) throw new TypeError(`not an address:port: ${JSON.stringify(text)}`);
  return { address: (m[1] ?? m[2]) as string, port };
}

/** The Event header of the SUBSCRIBE: a device profile of this vendor, model and firmware (§5.1.1). */
export function uaProfileEvent(model: string, firmwareVersion: string): string {
  return `ua-profile;profile-type="device";vendor="Grandstream";model="${model}";version="${firmwareVersion}"`;
}

/** The user part of the SUBSCRIBE's Request-URI, From and To: `MAC:<mac>` escaped (§5.1.1, as Snom and Grandstream send it). */
export function pnpUser(mac: string): string {
  return `MAC%3a${mac.toLowerCase()}`;
}

/**
 * The provisioning server a NOTIFY of our subscription (same Call-ID) names. Throws PnpError:
 * 481 for another subscription, 489 for another event, 415 for a body that is not
 * application/url, 400 for a body that is not a tftp/http/https/ftp/ftps URL.
 */
export function readPnpNotify(req: SipRequest, callId: string): string {
  if (req.callId !== callId) throw new PnpError(481, 'NOTIFY for a subscription we did not make');
  const event = (req.headers.get('Event') ?? '').split(';')[0]?.trim().toLowerCase();
  if (event !== 'ua-profile') throw new PnpError(489, `NOTIFY event ${JSON.stringify(event)} is not ua-profile`);
  const type = (req.headers.get('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/url') throw new PnpError(415, `NOTIFY body type ${JSON.stringify(type)} is not application/url`);
  const text = req.body.toString('utf8').trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PnpError(400, `NOTIFY body is not a URL: ${JSON.stringify(redact(text.slice(0, 80)))}`);
  }
  if (!SCHEMES.has(url.protocol)) throw new PnpError(400, `NOTIFY URL scheme ${url.protocol} is not tftp, http, https, ftp or ftps`);
  if (url.hostname === '') throw new PnpError(400, 'NOTIFY URL has no host');
  return text;
}
