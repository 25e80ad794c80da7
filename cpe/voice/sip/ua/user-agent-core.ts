/**
 * The user agent core (RFC 3261 §8, model SIP.js src/core/user-agent-core): builds requests,
 * sends them through client transactions (answering 401/407 challenges with digest credentials,
 * §22.2-22.3), and answers incoming requests: OPTIONS 200, INVITE via the pluggable `onInvite`
 * (default 100 then 480), CANCEL (§9.2), unknown methods 501, known but unsupported 405 (§8.2.1),
 * unknown URI schemes 416, unknown Require options 420 (§8.2.2).
 */
import type { Logger } from '../../../shared/logger';
import type { Random } from '../../../shared/random';
import { DigestClient, type Credentials } from '../auth/digest-client';
import { decodeChallenge, encodeCredentials } from '../syntax/auth-header';
import { HeaderList } from '../syntax/headers';
import type { SipRequest, SipResponse } from '../syntax/message';
import { cloneNameAddr, type NameAddr } from '../syntax/name-addr';
import { Params } from '../syntax/params';
import { cloneUri, encodeUri, type SipUri, type Uri } from '../syntax/uri';
import type { IncomingMessage, TransportTarget } from '../transport/transport';
import { makeResponse } from '../transaction/make-response';
import type { ServerTransaction } from '../transaction/server-transactions';
import type { TransactionTimeoutError } from '../transaction/transaction';
import type { ClientTransaction, TransactionLayer, TransactionUser } from '../transaction/transaction-layer';

/** What the TU of an outgoing request hears. Final responses after authentication only. */
export interface RequestHandlers {
  onProgress?(res: SipResponse): void;
  onFinal?(res: SipResponse): void;
  onTimeout?(err: TransactionTimeoutError): void;
  onTransportError?(err: Error): void;
}

export interface RequestOptions {
  credentials?: Credentials;
}

/** Handler of an incoming request; it must answer through `tx.respond` (or leave it to the default). */
export type RequestHandler = (request: SipRequest, tx: ServerTransaction, incoming: IncomingMessage) => void;

export interface UserAgentCoreConfig {
  random: Random;
  log: Logger;
  /** User-Agent / Server header value. */
  userAgent: string;
  /** The address-of-record (From of out-of-dialog requests). */
  aor: () => SipUri;
  displayName?: () => string;
  /** Our Contact for dialog-creating requests and REGISTER. */
  contact: () => NameAddr;
}

/** Methods we answer (Allow header, RFC 3261 §20.5). The calls code adds its own with `allowMethod`. */
const BASE_ALLOW = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'NOTIFY'];
/** Requests outside a dialog that carry our Contact (§8.1.1.8, §10.2, RFC 3265, RFC 3515). */
const WITH_CONTACT = new Set(['INVITE', 'REGISTER', 'SUBSCRIBE', 'REFER', 'OPTIONS']);
const KNOWN_UNSUPPORTED = ['REGISTER', 'SUBSCRIBE', 'PUBLISH', 'MESSAGE', 'REFER', 'INFO', 'UPDATE', 'PRACK'];

export class OutgoingRequest {
  tx: ClientTransaction | undefined;
  authAttempts = 0;
  done = false;
  constructor(public request: SipRequest, readonly target: TransportTarget) {}
}

export class UserAgentCore implements TransactionUser {
  private readonly allow = new Set(BASE_ALLOW);
  /** The Allow header value, joined once per change of `allow` (every REGISTER carries it). */
  private allowText: string | undefined;
  readonly digest: DigestClient;
  private readonly handlers = new Map<string, RequestHandler>();
  private cseq: number;

  /** Incoming INVITE outside a dialog. Default: 100 Trying, then 480 (no calls yet). */
  onInvite: RequestHandler = (req, tx) => {
    tx.respond(this.makeResponse(req, 100));
    tx.respond(this.makeResponse(req, 480));
  };
  /** Requests inside a dialog (To tag present). Default: 481 (§12.2.2). */
  onInDialogRequest: RequestHandler = (req, tx) => tx.respond(this.makeResponse(req, 481));
  /** An ACK for a 2xx (no transaction, RFC 6026), for the INVITE usage. */
  onAck: (ack: SipRequest, incoming: IncomingMessage) => void = () => {};
  /** A CANCEL that matched an INVITE server transaction (§9.2); default answers the INVITE 487. */
  onCancel: (invite: ServerTransaction, cancel: SipRequest) => void = (invite) => invite.respond(this.makeResponse(invite.request, 487));
  /** A response no transaction wanted (2xx retransmissions, §13.2.2.4). */
  onStrayResponse?: (res: SipResponse, incoming: IncomingMessage) => void;
  /** Option tags a request may Require of us (§8.2.2.3); the calls usage adds 100rel when P272 is on. */
  supportsExtension: (tag: string) => boolean = (tag) => tag === 'timer' || tag === 'replaces';

  constructor(
    readonly layer: TransactionLayer,
    private readonly config: UserAgentCoreConfig,
  ) {
    this.digest = new DigestClient(config.random);
    this.cseq = 1 + config.random.int(1000);
  }

  /** Registers a handler for an out-of-dialog method (e.g. 'NOTIFY'); it is added to Allow. */
  handle(method: string, handler: RequestHandler): void {
    this.handlers.set(method, handler);
    this.allowMethod(method);
  }

  /** Adds a method to Allow (the calls usage adds REFER, UPDATE, INFO, PRACK). */
  allowMethod(method: string): void {
    this.allow.add(method);
    this.allowText = undefined;
  }

  /** Allow (RFC 3261 §20.5): the methods we answer. */
  allowHeader(): string {
    return (this.allowText ??= [...this.allow].join(', '));
  }

  /** The handler registered for an out-of-dialog method, if any (a usage may chain in front of it). */
  handlerFor(method: string): RequestHandler | undefined {
    return this.handlers.get(method);
  }

  /** Our address-of-record. */
  aor(): SipUri {
    return this.config.aor();
  }

  newTag(): string {
    return this.config.random.bytes(6).toString('hex');
  }

  newCallId(): string {
    return `${this.config.random.bytes(10).toString('hex')}@${this.config.aor().host}`;
  }

  /** §8.1.1: a request outside any dialog. */
  createRequest(method: string, uri: Uri, opts: { to?: NameAddr; callId?: string; cseq?: number; fromTag?: string; contact?: boolean; route?: NameAddr[] } = {}): SipRequest {
    const from: NameAddr = { uri: this.config.aor(), params: new Params() };
    const dn = this.config.displayName?.();
    if (dn) from.displayName = dn;
    from.params.set('tag', opts.fromTag ?? this.newTag());
    const headers = new HeaderList();
    headers.add('User-Agent', this.config.userAgent);
    const wantsContact = opts.contact ?? WITH_CONTACT.has(method);
    if (method === 'INVITE' || method === 'OPTIONS') headers.add('Allow', this.allowHeader());
    return {
      type: 'request', method, uri: cloneUri(uri), via: [], from,
      to: opts.to ? cloneNameAddr(opts.to) : { uri: cloneUri(uri), params: new Params() },
      callId: opts.callId ?? this.newCallId(), cseq: { seq: opts.cseq ?? this.cseq++, method }, maxForwards: 70,
      contact: wantsContact ? [this.config.contact()] : [], route: (opts.route ?? []).map(cloneNameAddr), recordRoute: [],
      headers, body: Buffer.alloc(0),
    };
  }

  makeResponse(req: SipRequest, status: number, opts: { reason?: string; headers?: Array<[string, string]>; body?: Buffer; toTag?: string } = {}): SipResponse {
    const res = makeResponse(req, status, { ...opts, toTag: opts.toTag ?? this.newTag() });
    res.headers.add('Server', this.config.userAgent);
    return res;
  }

  /** Sends a request in a client transaction; answers one digest challenge per nonce (§22.2). */
  request(req: SipRequest, target: TransportTarget, handlers: RequestHandlers, opts: RequestOptions = {}): OutgoingRequest {
    const out = new OutgoingRequest(req, target);
    this.send(out, handlers, opts);
    return out;
  }

  private send(out: OutgoingRequest, handlers: RequestHandlers, opts: RequestOptions): void {
    out.tx = this.layer.sendRequest(out.request, out.target, {
      onResponse: (res) => {
        if (out.done) return;
        if (res.status < 200) return handlers.onProgress?.(res);
        if ((res.status === 401 || res.status === 407) && opts.credentials && out.authAttempts < 2) {
          const retry = this.authenticated(out.request, res, opts.credentials);
          if (retry) {
            out.authAttempts++;
            out.request = retry;
            this.send(out, handlers, opts);
            return;
          }
        }
        if (res.status >= 200 && !(out.request.method === 'INVITE' && res.status < 300)) out.done = true;
        handlers.onFinal?.(res);
      },
      onTimeout: (err) => {
        out.done = true;
        handlers.onTimeout?.(err);
      },
      onTransportError: (err) => {
        out.done = true;
        handlers.onTransportError?.(err);
      },
    });
  }

  /** The same request with credentials, a new branch and CSeq + 1 (§22.2), or undefined when we cannot answer. */
  private authenticated(req: SipRequest, res: SipResponse, cred: Credentials): SipRequest | undefined {
    const header = res.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const answerHeader = res.status === 401 ? 'Authorization' : 'Proxy-Authorization';
    const headers = req.headers.clone().remove(answerHeader);
    let answered = false;
    for (const value of res.headers.getAll(header)) {
      let ch;
      try {
        ch = decodeChallenge(value);
      } catch {
        continue;
      }
      if (!DigestClient.supports(ch)) continue;
      const prev = req.headers.getAll(answerHeader).map((v) => decodeChallenge(v));
      // the same nonce failing again means wrong credentials, unless the server says stale=true
      if (prev.some((p) => p.params.get('nonce') === ch.params.get('nonce')) && ch.params.get('stale')?.toLowerCase() !== 'true') continue;
      const creds = this.digest.answer(ch, { method: req.method, uri: encodeUri(req.uri), body: req.body }, cred);
      headers.add(answerHeader, encodeCredentials(creds));
      answered = true;
    }
    if (!answered) return undefined;
    return { ...req, via: [], cseq: { seq: this.cseq++, method: req.method }, headers };
  }

  // ---- TransactionUser ----

  /** Wire the layer's onStrayResponse here: forwards to the `onStrayResponse` hook. */
  onStrayResponseReceived(res: SipResponse, incoming: IncomingMessage): void {
    this.onStrayResponse?.(res, incoming);
  }

  onRequest(req: SipRequest, tx: ServerTransaction | undefined, incoming: IncomingMessage): void {
    if (!tx) {
      if (req.method === 'ACK') this.onAck(req, incoming);
      return;
    }
    try {
      this.dispatch(req, tx, incoming);
    } catch (e) {
      this.config.log.error({ err: String(e), method: req.method }, 'request handler failed');
      tx.respond(this.makeResponse(req, 500));
    }
  }

  private dispatch(req: SipRequest, tx: ServerTransaction, incoming: IncomingMessage): void {
    if (req.method === 'CANCEL') {
      const inv = this.layer.findInviteServerTransaction(req);
      tx.respond(this.makeResponse(req, inv ? 200 : 481));
      if (inv && inv.state === 'proceeding') this.onCancel(inv, req);
      return;
    }
    // §8.2.2.1: unsupported URI scheme
    if (req.uri.kind === 'absolute') return tx.respond(this.makeResponse(req, 416));
    // §8.2.2.3: Require with extensions we do not support
    const required = req.headers.getAll('Require').filter((r) => !this.supportsExtension(r.toLowerCase()));
    if (required.length > 0 && req.method !== 'ACK') {
      return tx.respond(this.makeResponse(req, 420, { headers: [['Unsupported', required.join(', ')]] }));
    }
    if (req.to.params.has('tag')) return this.onInDialogRequest(req, tx, incoming);
    const h = this.handlers.get(req.method);
    if (h) return h(req, tx, incoming);
    switch (req.method) {
      case 'OPTIONS':
        // §11.2: capabilities
        return tx.respond(this.makeResponse(req, 200, {
          headers: [['Allow', this.allowHeader()], ['Accept', 'application/sdp'], ['Accept-Language', 'en'], ['Supported', 'replaces, timer']],
        }));
      case 'INVITE':
        return this.onInvite(req, tx, incoming);
      case 'BYE':
        return tx.respond(this.makeResponse(req, 481));
      case 'NOTIFY':
        // no subscription of ours matches (RFC 6665 §4.1.3)
        return tx.respond(this.makeResponse(req, 489));
      default:
        if (this.allow.has(req.method) || KNOWN_UNSUPPORTED.includes(req.method)) {
          return tx.respond(this.makeResponse(req, 405, { headers: [['Allow', this.allowHeader()]] }));
        }
        return tx.respond(this.makeResponse(req, 501, { headers: [['Allow', this.allowHeader()]] }));
    }
  }
}
