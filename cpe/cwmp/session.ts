/**
 * One CWMP session as a state machine (TR-069 §3.7): Inform → the CPE's own requests → empty
 * POST → serve the ACS's requests until it answers with an empty body (204) → done. Every HTTP
 * exchange is bounded by the session timeout; any failure ends the session as failed, and the
 * caller retries per TR-069 §3.2.1.1. A handler per state (pjsip tsx_state_handler style).
 */
import type { Cancel, Clock } from '../shared/clock';
import { DecodeError, TransportError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { Random } from '../shared/random';
import type { AcsReply, AcsTransport } from './http/acs-transport';
import type { RpcContext } from './rpc/context';
import { serveRequest } from './rpc/index';
import { decodeEnvelope, encodeEnvelope } from './soap/envelope';
import { faultMessage, type AcsRequest, type AcsResponse, type CwmpVersion, type Envelope } from './soap/types';
import { faultText } from './faults';
import { MAX_ENVELOPE_CHARS } from './soap/xml';

export type SessionState = 'idle' | 'informing' | 'cpe-requests' | 'empty-post' | 'serving' | 'done' | 'failed';

export const ALLOWED: Readonly<Record<SessionState, readonly SessionState[]>> = {
  idle: ['informing', 'failed'],
  informing: ['cpe-requests', 'empty-post', 'failed'],
  'cpe-requests': ['cpe-requests', 'empty-post', 'failed'],
  'empty-post': ['serving', 'done', 'failed'],
  serving: ['serving', 'done', 'failed'],
  done: [],
  failed: [],
};

/** A request of the CPE's own (TransferComplete ...) and what to do once the ACS acknowledged it. */
export interface CpeOwnRequest {
  readonly message: AcsRequest;
  onAck(response: AcsResponse): void;
  /**
   * The ACS answered with a fault. Given, the fault is this request's alone and the session goes on
   * (Kicked, RequestDownload: TR-069 A.4.2); absent, the session fails and the request is retried.
   */
  onFault?(code: number, message: string): void;
  /** Asked right before sending: true drops the request (its owner has dealt with it). */
  skip?(): boolean;
}

export interface SessionDeps {
  readonly transport: AcsTransport;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly inform: Extract<AcsRequest, { method: 'Inform' }>;
  readonly ownRequests: readonly CpeOwnRequest[];
  readonly rpc: RpcContext;
  /** Namespace of the Inform (the ACS's namespace is used from its first answer on). */
  readonly version?: CwmpVersion;
  /** Per-exchange limit; TR-069 §3.7.1.4 says at least 30 s. An ACS SessionTimeout header overrides it. */
  readonly timeoutMs?: number;
  /** Fired once the ACS acknowledged the Inform (events delivered). */
  onInformAcked(): void;
}

export type SessionResult =
  | { readonly ok: true; readonly exchanges: number }
  | { readonly ok: false; readonly reason: string; readonly informAcked: boolean; readonly retryAfterSec?: number };

/** The most exchanges one session may take: an ACS looping forever ends as a failure. */
export const MAX_EXCHANGES = 5000;
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;
/** What this client implements (1.4 adds UseCWMPVersion negotiation, which it does not do). */
export const SUPPORTED_VERSIONS = '1.0,1.1,1.2,1.3';

class SessionFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

export class CwmpSession {
  private st: SessionState = 'idle';
  private version: CwmpVersion;
  private timeoutMs: number;
  private exchanges = 0;
  private informAcked = false;
  private holdRequests = false;
  private reply: Envelope | BadEnvelope | null = null;
  private readonly log: Logger;

  constructor(private readonly d: SessionDeps) {
    this.version = d.version ?? '1-0';
    this.timeoutMs = d.timeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    this.log = d.log;
  }

  get state(): SessionState {
    return this.st;
  }

  private transition(to: SessionState): void {
    if (!ALLOWED[this.st].includes(to)) throw new Error(`CWMP session: ${this.st} → ${to} not allowed`);
    if (this.st !== to) this.log.debug({ from: this.st, to }, 'cwmp session state');
    this.st = to;
  }

  private readonly handlers: Record<'informing' | 'cpe-requests' | 'empty-post' | 'serving', () => Promise<SessionState>> = {
    informing: async () => {
      const id = this.newId();
      // CWMP 1.3/1.4 (cwmp-1-2 namespace): announce our session timeout and versions (GenieACS reads 1.3 from SessionTimeout).
      const headers = this.version === '1-2' ? { sessionTimeout: Math.round(this.timeoutMs / 1000), supportedCwmpVersions: SUPPORTED_VERSIONS } : {};
      const env = strict(await this.exchange(encodeEnvelope({ version: this.version, id, ...headers, body: this.d.inform }), true));
      const body = env?.body;
      if (!env || !body) throw new SessionFailure('empty answer to Inform');
      if (body.method === 'Fault') throw new SessionFailure(`ACS fault ${body.faultCode} to Inform: ${body.faultString}`);
      if (body.method !== 'InformResponse') throw new SessionFailure(`expected InformResponse, got ${body.method}`);
      this.version = env.version;
      if (env.sessionTimeout !== undefined && env.sessionTimeout > 0) this.timeoutMs = env.sessionTimeout * 1000;
      this.informAcked = true;
      this.d.onInformAcked();
      this.holdRequests = env.holdRequests === true;
      return this.holdRequests || this.d.ownRequests.length === 0 ? 'empty-post' : 'cpe-requests';
    },
    'cpe-requests': async () => {
      // TR-069 §3.7.1.3: the CPE's own requests go before the empty POST, unless the ACS holds them.
      for (const r of this.d.ownRequests) {
        if (this.holdRequests) break;
        if (r.skip?.()) continue;
        const env = strict(await this.exchange(encodeEnvelope({ version: this.version, id: this.newId(), body: r.message }), false));
        const body = env?.body;
        if (!env || !body) throw new SessionFailure(`empty answer to ${r.message.method}`);
        this.holdRequests = env.holdRequests === true;
        if (body.method === 'Fault' && r.onFault) {
          this.log.info({ method: r.message.method, faultCode: body.faultCode }, 'ACS refused a CPE request');
          r.onFault(body.faultCode, body.faultString);
          continue;
        }
        if (body.method === 'Fault') throw new SessionFailure(`ACS fault ${body.faultCode} to ${r.message.method}`);
        if (body.method !== `${r.message.method}Response`) throw new SessionFailure(`expected ${r.message.method}Response, got ${body.method}`);
        r.onAck(body as AcsResponse);
      }
      return 'empty-post';
    },
    'empty-post': async () => {
      this.reply = await this.exchange('', false);
      return this.reply && ('bad' in this.reply || this.reply.body) ? 'serving' : 'done';
    },
    serving: async () => {
      const req = this.reply;
      if (req && 'bad' in req) {
        // Bad input from the ACS gets a fault, never a crash and never a change (TR-069 A.5.1).
        this.log.warn({ reason: req.bad }, 'undecodable request from the ACS');
        const code = req.tooLarge ? 9004 : 9003;
        const fault = faultMessage(code, faultText(code));
        this.reply = await this.exchange(encodeEnvelope({ version: this.version, ...(req.id !== undefined ? { id: req.id } : {}), body: fault }), false);
        return this.reply && ('bad' in this.reply || this.reply.body) ? 'serving' : 'done';
      }
      if (!req || !req.body) return 'done';
      if (req.holdRequests !== undefined) this.holdRequests = req.holdRequests;
      const answer = serveRequest(req.body, this.d.rpc, (e) =>
        this.log.error({ err: e instanceof Error ? e.message : String(e), method: req.body?.method }, 'RPC handler failed'),
      );
      const out = encodeEnvelope({ version: req.version, ...(req.id !== undefined ? { id: req.id } : {}), body: answer });
      this.reply = await this.exchange(out, false);
      return this.reply && ('bad' in this.reply || this.reply.body) ? 'serving' : 'done';
    },
  };

  async run(): Promise<SessionResult> {
    try {
      this.transition('informing');
      for (;;) {
        const s = this.st;
        if (s === 'done' || s === 'failed' || s === 'idle') break;
        const next = await this.handlers[s]();
        this.transition(next);
      }
      return { ok: true, exchanges: this.exchanges };
    } catch (e) {
      if (this.st !== 'failed') this.st = 'failed';
      const reason = e instanceof Error ? e.message : String(e);
      this.log.warn({ reason, exchanges: this.exchanges }, 'cwmp session failed');
      const retryAfterSec = e instanceof SessionFailure ? e.retryAfterSec : undefined;
      return retryAfterSec === undefined
        ? { ok: false, reason, informAcked: this.informAcked }
        : { ok: false, reason, informAcked: this.informAcked, retryAfterSec };
    } finally {
      this.d.transport.close();
    }
  }

  private newId(): string {
    return this.d.random.bytes(6).toString('hex');
  }

  /**
   * One POST and its answer, decoded. 200 with a body = an envelope; 204 (or 200 empty) = none.
   * Malformed XML from the ACS ends the session (nothing was changed by it).
   */
  private async exchange(body: string, first: boolean): Promise<Envelope | BadEnvelope | null> {
    if (++this.exchanges > MAX_EXCHANGES) throw new SessionFailure(`more than ${MAX_EXCHANGES} exchanges`);
    const reply = await this.withTimeout(this.d.transport.post(body));
    if (reply.status === 503 || reply.status === 429) {
      throw new SessionFailure(`ACS answered ${reply.status}`, retryAfter(reply, this.d.clock.now()));
    }
    if (reply.status === 401 || reply.status === 403) throw new SessionFailure(`ACS refused authentication (${reply.status})`);
    if (reply.status === 204 || (reply.status === 200 && reply.body.trim() === '')) {
      if (first) throw new SessionFailure('empty answer to Inform');
      return null;
    }
    if (reply.status !== 200) throw new SessionFailure(`ACS answered HTTP ${reply.status}`);
    try {
      return decodeEnvelope(reply.body);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      const id = /<(?:[\w-]+:)?ID\b[^>]*>([^<]{1,64})<\/(?:[\w-]+:)?ID>/.exec(reply.body.slice(0, 4096))?.[1];
      return { bad: e.message, tooLarge: reply.body.length > MAX_ENVELOPE_CHARS, ...(id !== undefined ? { id } : {}) };
    }
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let cancel: Cancel | undefined = this.d.clock.setTimer(this.timeoutMs, () => {
        cancel = undefined;
        this.d.transport.close();
        reject(new SessionFailure(`no answer from the ACS within ${this.timeoutMs} ms`));
      });
      p.then(
        (v) => {
          cancel?.();
          resolve(v);
        },
        (e: unknown) => {
          cancel?.();
          reject(e instanceof TransportError ? new SessionFailure(e.message) : e);
        },
      );
    });
  }
}

/** An ACS message that could not be decoded (malformed XML, too large, not SOAP). */
export interface BadEnvelope {
  readonly bad: string;
  readonly tooLarge: boolean;
  readonly id?: string;
}

/** Where only a well-formed answer will do (Inform, the CPE's own requests). */
function strict(e: Envelope | BadEnvelope | null): Envelope | null {
  if (e && 'bad' in e) throw new SessionFailure(`undecodable envelope from the ACS: ${e.bad}`);
  return e;
}

/** Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfter(reply: AcsReply, now: number): number | undefined {
  const h = reply.headers['retry-after'];
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, Math.ceil((t - now) / 1000)) : undefined;
}
