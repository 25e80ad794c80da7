/**
 * The RADIUS half of a web login (P28107 = 1): the form's user name and password go to the server
 * as User-Name / User-Password, with NAS-Identifier (P146, else the MAC), NAS-IP-Address (from the
 * socket), NAS-Port-Type Virtual and Calling-Station-Id (the browser's address), as a NAS sends
 * them (RFC 2865 §5.32, §5.4, §5.41, §5.31). The verdict says what the server said; what to do
 * when it said nothing (P28114) is login-check.ts's business. Per web UI, never module state.
 */
import type { Clock } from '../../shared/clock';
import { localAddressFor } from '../../shared/local-address';
import type { Random } from '../../shared/random';
import { RadiusClient } from './radius-client';
import { MAX_PASSWORD_LENGTH } from './radius-crypto';
import { RadiusError } from './radius-error';
import { levelFromAccept, type GrantedLevel } from './radius-level';
import { ATTR, MAX_VALUE_LENGTH, NAS_PORT_TYPE_VIRTUAL, integerValue, type RadiusAttribute } from './radius-packet';
import type { RadiusSettings } from './radius-settings';
import type { RadiusSocketFactory } from './radius-socket';

/** What the web UI can be given for RADIUS (tests: an in-memory socket factory and resolver). */
export interface RadiusDeps {
  readonly sockets?: RadiusSocketFactory;
  readonly resolve?: (host: string) => Promise<string>;
}

export type RadiusVerdict =
  | { readonly kind: 'accept'; readonly granted: GrantedLevel; readonly transmissions: number }
  | { readonly kind: 'reject'; readonly code: 'Access-Reject' | 'Access-Challenge' }
  /**
   * Not sent: the user name or password cannot be carried (empty, or too long for RFC 2865 §5.1 /
   * §5.2). A refusal, never a server failure: input must not choose the local fallback.
   */
  | { readonly kind: 'unsendable'; readonly why: string }
  /** The server did not answer in time, is unreachable, or the settings name none. */
  | { readonly kind: 'failed'; readonly error: RadiusError };

export interface RadiusLoginRequest {
  readonly settings: RadiusSettings;
  readonly userName: string;
  readonly password: string;
  /** The browser's address (Calling-Station-Id). */
  readonly client: string;
  readonly nasIdentifier: string;
  /** The unit's own address (the socket binds it when it can reach the server from it). */
  readonly unitAddress: string;
}

export class RadiusLogin {
  private readonly client: RadiusClient;

  constructor(deps: RadiusDeps & { readonly clock: Clock; readonly random: Random }) {
    this.client = new RadiusClient(deps);
  }

  async check(r: RadiusLoginRequest): Promise<RadiusVerdict> {
    const s = r.settings;
    const nameOctets = Buffer.byteLength(r.userName, 'utf8');
    const passwordOctets = Buffer.byteLength(r.password, 'utf8');
    if (nameOctets === 0 || nameOctets > MAX_VALUE_LENGTH) return { kind: 'unsendable', why: `user name of ${nameOctets} octets (1..${MAX_VALUE_LENGTH})` };
    if (passwordOctets === 0 || passwordOctets > MAX_PASSWORD_LENGTH) return { kind: 'unsendable', why: `password of ${passwordOctets} octets (1..${MAX_PASSWORD_LENGTH})` };
    if (!s.server || s.secret.length === 0) return { kind: 'failed', error: new RadiusError('config', s.problems.join('; ')) };
    const attributes: RadiusAttribute[] = [
      { type: ATTR.nasIdentifier, value: Buffer.from(r.nasIdentifier, 'utf8') },
      { type: ATTR.nasPortType, value: integerValue(NAS_PORT_TYPE_VIRTUAL) },
    ];
    if (r.client !== '') attributes.push({ type: ATTR.callingStationId, value: Buffer.from(r.client, 'utf8') });
    try {
      const answer = await this.client.authenticate({
        server: s.server,
        secret: s.secret,
        userName: r.userName,
        password: r.password,
        attributes,
        localAddress: localAddressFor(r.unitAddress, s.server.host),
      });
      if (answer.code !== 'Access-Accept') return { kind: 'reject', code: answer.code };
      return { kind: 'accept', granted: levelFromAccept(answer.attributes, s.levelAttribute), transmissions: answer.transmissions };
    } catch (e) {
      if (e instanceof RadiusError && e.kind === 'encode') return { kind: 'unsendable', why: e.message };
      if (e instanceof RadiusError) return { kind: 'failed', error: e };
      throw e;
    }
  }

  /** Exchanges in flight. */
  get pending(): number {
    return this.client.pending;
  }

  close(): void {
    this.client.close();
  }
}
