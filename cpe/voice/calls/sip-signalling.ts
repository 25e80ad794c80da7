/**
 * CallSignalling over one SIP account (profile 1 for the FXS line): outgoing INVITEs (caller-ID
 * block with the Privacy / P-Preferred-Identity headers of P2338/P2339, identity-headers.ts;
 * 100rel per P272, session timers), incoming INVITEs handed to the line, and the routing of
 * ACK, CANCEL and in-dialog requests to their call. It plugs into the SIP core's UserAgentCore
 * hooks and chains to whatever was there before for anything not ours.
 */
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/logger';
import type { Random } from '../../shared/random';
import type { Credentials } from '../sip/auth/digest-client';
import { dialogKey, dialogKeyOfRequest } from '../sip/dialog/dialog';
import type { SipRequest } from '../sip/syntax/message';
import { encodeNameAddr, type NameAddr } from '../sip/syntax/name-addr';
import { Params } from '../sip/syntax/params';
import { decodeUri, encodeUri, escapeUser, type SipUri, type Uri } from '../sip/syntax/uri';
import type { ServerTransaction } from '../sip/transaction/server-transactions';
import type { TransportProtocol, TransportTarget } from '../sip/transport/transport';
import type { RequestHandler, UserAgentCore } from '../sip/ua/user-agent-core';
import type { CallSignalling, IncomingCallInfo, OutgoingCallRequest, RemoteParty, SignallingCall } from '../fxs/ports';
import type { CallEnv } from './call-env';
import type { SessionTimerSettings } from './session-timer';
import { SipCall } from './sip-call';
import { decodeReplaces } from './call-headers';
import { applyIdentityHeaders, DEFAULT_IDENTITY_HEADERS, type IdentityHeaderSettings } from './identity-headers';

/** What the calls code needs from an account (cpe/voice/accounts provides it). */
export interface AccountLink {
  readonly core: UserAgentCore;
  registered(): boolean;
  /** Where out-of-dialog requests go: the outbound proxy (P48) or the resolved SIP server (P47); undefined when unknown. */
  serverTarget(): TransportTarget | undefined;
  /** Host[:port] of the SIP server, for sip:number@domain. */
  domain(): string;
  credentials(): Credentials | undefined;
  aor(): SipUri;
  contact(): NameAddr;
  /** Transport of the account (P130). */
  protocol(): TransportProtocol;
  /** Route set of out-of-dialog requests (the outbound proxy as a loose route), if any. */
  route?(): NameAddr[];
  /** P197/P792 Proxy-Require option tags for the INVITE; empty = none. */
  proxyRequire?(): string;
  /**
   * P28092 = 0: where a new call goes, from a fresh RFC 3263 lookup of the server (DNS may name
   * another address than the one registered with); undefined when calls use the registered address.
   */
  callTarget?(): Promise<TransportTarget | undefined> | undefined;
}

export interface SignallingSettings {
  /** P109: outgoing calls without registration. */
  readonly allowUnregistered: boolean;
  /** P272: 100rel. */
  readonly rel100: boolean;
  readonly sessionTimer: SessionTimerSettings;
  /** P2338/P2339 (FXS), P2438/P2439 (FXO): Privacy and P-Preferred-Identity; absent = default. */
  readonly identityHeaders?: IdentityHeaderSettings;
}

function sdpOf(m: SipRequest): string | undefined {
  const type = m.headers.get('Content-Type')?.toLowerCase() ?? '';
  return m.body.length > 0 && type.startsWith('application/sdp') ? m.body.toString('utf8') : undefined;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** RFC 3323 / 3325: who is calling, and whether they hid it. */
export function remotePartyOf(req: SipRequest): RemoteParty {
  let who: NameAddr = req.from;
  const pai = req.headers.get('P-Asserted-Identity');
  if (pai) {
    try {
      const m = /<([^>]+)>/.exec(pai);
      const uri = decodeUri(m ? (m[1] as string) : pai.trim());
      who = { uri, params: new Params(), ...(/^\s*"([^"]*)"/.exec(pai)?.[1] ? { displayName: /^\s*"([^"]*)"/.exec(pai)?.[1] as string } : {}) };
    } catch {
      who = req.from;
    }
  }
  const uri = who.uri;
  const user = uri.kind === 'sip' ? uri.user : uri.kind === 'tel' ? uri.number : undefined;
  const host = uri.kind === 'sip' ? uri.host : '';
  const privacy = /\b(id|user|header)\b/i.test(req.headers.getAll('Privacy').join(';'));
  const anonymous = privacy || /^anonymous$/i.test(user ?? '') || /anonymous\.invalid$/i.test(host) || /^anonymous$/i.test(req.from.displayName ?? '');
  return {
    uri: encodeUri(uri),
    anonymous,
    ...(user && !anonymous ? { number: decodeURIComponent(user) } : {}),
    ...(who.displayName && !anonymous ? { displayName: who.displayName } : {}),
  };
}

/** A URI user part without its %-escapes; undefined when it has none or they are not UTF-8. */
function unescapeUser(user: string | undefined): string | undefined {
  if (user === undefined) return undefined;
  try {
    return decodeURIComponent(user);
  } catch {
    return undefined;
  }
}

export class SipSignalling implements CallSignalling {
  private readonly byDialog = new Map<string, SipCall>();
  private readonly byInvite = new Map<ServerTransaction, SipCall>();
  private handler: ((info: IncomingCallInfo) => void) | undefined;
  /** Other dialog usages of the account (the MWI subscription). */
  private readonly usages: { owns(req: SipRequest): boolean; inDialog(req: SipRequest, tx: ServerTransaction): void }[] = [];
  private seq = 0;
  private readonly env: CallEnv;
  private readonly previous: { invite: RequestHandler; inDialog: RequestHandler; ack: UserAgentCore['onAck']; cancel: UserAgentCore['onCancel']; notify: RequestHandler | undefined;
    supports: UserAgentCore['supportsExtension'];
  };
  /** Unsolicited message-summary NOTIFY (RFC 3842 §3: servers may send them without a subscription). */
  private mwiListener: ((req: SipRequest, tx: ServerTransaction) => void) | undefined;

  constructor(
    private readonly link: AccountLink,
    private readonly settings: () => SignallingSettings,
    deps: { readonly clock: Clock; readonly random: Random; readonly log: Logger },
  ) {
    const core = link.core;
    const self = this;
    this.env = {
      core,
      clock: deps.clock,
      random: deps.random,
      log: deps.log,
      registry: {
        add: (c) => c.dialogKey && c instanceof SipCall && this.byDialog.set(c.dialogKey, c),
        remove: (c) => {
          if (c.dialogKey && this.byDialog.get(c.dialogKey) === c) this.byDialog.delete(c.dialogKey);
          for (const [tx, call] of this.byInvite) if (call === c) this.byInvite.delete(tx);
        },
      },
      get sessionTimer() {
        return self.settings().sessionTimer;
      },
      targetFor: (uri) => this.targetFor(uri),
      requestOptions: () => {
        const credentials = link.credentials();
        return credentials ? { credentials } : {};
      },
      sendStateless: (req, target) => {
        const local = core.layer.transport.localAddress(target.protocol);
        const params = new Params();
        params.set('branch', core.layer.newBranch()).set('rport', null);
        req.via.unshift({ protocol: 'SIP/2.0', transport: target.protocol.toUpperCase(), host: local.address, port: local.port, params });
        core.layer.transport.send(req, target).catch((e: unknown) => deps.log.warn({ err: String(e) }, 'ACK not sent'));
      },
      contact: () => link.contact(),
      aor: () => link.aor(),
      domain: () => link.domain(),
      guard: (fn) => {
        try {
          fn();
        } catch (e) {
          deps.log.error({ err: (e as Error).message }, 'call signalling error');
        }
      },
    };
    this.previous = {
      invite: core.onInvite, inDialog: core.onInDialogRequest, ack: core.onAck, cancel: core.onCancel, notify: core.handlerFor('NOTIFY'),
      supports: core.supportsExtension,
    };
    // RFC 3262: an INVITE may Require 100rel of us while P272 is on
    const supports = core.supportsExtension;
    core.supportsExtension = (tag) => (tag === '100rel' ? this.settings().rel100 : supports(tag));
    core.handle('NOTIFY', (req, tx, incoming) => {
      const event = (req.headers.get('Event') ?? '').split(';')[0]?.trim().toLowerCase();
      if (event === 'message-summary' && this.mwiListener) return this.env.guard(() => this.mwiListener?.(req, tx));
      if (this.previous.notify) return this.previous.notify(req, tx, incoming);
      tx.respond(core.makeResponse(req, 489));
    });
    for (const m of ['REFER', 'UPDATE', 'INFO', 'PRACK']) core.allowMethod(m);
    core.onInvite = (req, tx) => this.env.guard(() => this.incoming(req, tx));
    core.onInDialogRequest = (req, tx, incoming) => {
      const key = dialogKeyOfRequest(req);
      const call = key ? this.byDialog.get(key) : undefined;
      if (call) return this.env.guard(() => call.inDialog(req, tx));
      const usage = this.usages.find((u) => u.owns(req));
      if (usage) return this.env.guard(() => usage.inDialog(req, tx));
      return this.previous.inDialog(req, tx, incoming);
    };
    core.onAck = (ack, incoming) => {
      const key = dialogKeyOfRequest(ack);
      const call = key ? this.byDialog.get(key) : undefined;
      if (call) return this.env.guard(() => call.acked(ack));
      return this.previous.ack(ack, incoming);
    };
    core.onCancel = (inviteTx, cancel) => {
      const call = this.byInvite.get(inviteTx);
      if (call) return this.env.guard(() => call.cancelled());
      return this.previous.cancel(inviteTx, cancel);
    };
  }

  /** Gives the core its previous handlers back (service stop). */
  uninstall(): void {
    const core = this.link.core;
    core.onInvite = this.previous.invite;
    core.onInDialogRequest = this.previous.inDialog;
    core.onAck = this.previous.ack;
    core.onCancel = this.previous.cancel;
    core.supportsExtension = this.previous.supports;
    if (this.previous.notify) core.handle('NOTIFY', this.previous.notify);
  }

  /** Receives message-summary NOTIFYs sent outside a subscription. */
  onUnsolicitedMwi(listener: (req: SipRequest, tx: ServerTransaction) => void): void {
    this.mwiListener = listener;
  }

  /** Routes in-dialog requests of another usage (MWI subscription) to it. */
  addUsage(usage: { owns(req: SipRequest): boolean; inDialog(req: SipRequest, tx: ServerTransaction): void }): void {
    this.usages.push(usage);
  }

  canCall(): boolean {
    return this.link.registered() || this.settings().allowUnregistered;
  }

  onIncoming(handler: (info: IncomingCallInfo) => void): void {
    this.handler = handler;
  }

  get activeDialogs(): number {
    return this.byDialog.size;
  }

  targetFor(uri: Uri): TransportTarget {
    if (uri.kind === 'sip') {
      const host = uri.host.replace(/^\[|\]$/g, '');
      if (IPV4.test(host) || host.includes(':')) {
        const tp = uri.params.get('transport');
        const protocol: TransportProtocol = tp === 'tcp' ? 'tcp' : tp === 'tls' || uri.scheme === 'sips' ? 'tls' : tp === 'udp' ? 'udp' : this.link.protocol();
        return { protocol, address: host, port: uri.port ?? (protocol === 'tls' ? 5061 : 5060) };
      }
    }
    const t = this.link.serverTarget();
    if (!t) throw new Error(`no route to ${encodeUri(uri)}: SIP server not resolved`);
    return t;
  }

  invite(request: OutgoingCallRequest): SignallingCall {
    const core = this.link.core;
    const direct = request.target.startsWith('sip:') || request.target.startsWith('sips:');
    const uri = direct ? decodeUri(request.target) : decodeUri(`sip:${escapeUser(request.target)}@${this.link.domain()}`);
    const route = direct ? [] : (this.link.route?.() ?? []);
    const req = core.createRequest('INVITE', uri, { route });
    if (request.anonymous) {
      // RFC 3323 §4.1.1.3 anonymous From; Privacy and P-Preferred-Identity below (P2338, P2339)
      const tag = req.from.params.get('tag');
      req.from = { displayName: 'Anonymous', uri: decodeUri('sip:anonymous@anonymous.invalid'), params: new Params() };
      if (typeof tag === 'string') req.from.params.set('tag', tag);
    }
    const cid = request.callerId;
    if (cid && !request.anonymous && (cid.number || cid.name)) {
      const aor = this.link.aor();
      const identity: SipUri = { ...aor, ...(cid.number ? { user: escapeUser(cid.number) } : {}), params: new Params() };
      if (cid.via === 'from') {
        const tag = req.from.params.get('tag');
        req.from = { ...(cid.name || cid.number ? { displayName: cid.name ?? cid.number } : {}), uri: identity, params: new Params() };
        if (typeof tag === 'string') req.from.params.set('tag', tag);
      } else {
        req.headers.add(cid.via === 'pai' ? 'P-Asserted-Identity' : 'P-Preferred-Identity', encodeNameAddr({ ...(cid.name ? { displayName: cid.name } : {}), uri: identity, params: new Params() }));
      }
    }
    applyIdentityHeaders(req, { anonymous: request.anonymous, aor: this.link.aor(), settings: this.settings().identityHeaders ?? DEFAULT_IDENTITY_HEADERS });
    req.headers.add('Supported', 'replaces');
    if (this.settings().rel100) req.headers.add('Supported', '100rel');
    if (request.replaces) req.headers.add('Replaces', request.replaces);
    const proxyRequire = this.link.proxyRequire?.() ?? '';
    if (proxyRequire !== '') req.headers.add('Proxy-Require', proxyRequire);
    // *74 paging: the auto-answer request phones and PBXs honour (Call-Info answer-after, draft-ietf-sip-answermode era)
    if (request.paging) req.headers.add('Call-Info', `<sip:${this.link.domain()}>;answer-after=0`);
    req.headers.add('Content-Type', 'application/sdp');
    req.body = Buffer.from(request.offer);
    const remote: RemoteParty = { uri: encodeUri(uri), anonymous: false, ...(uri.kind === 'sip' && uri.user ? { number: decodeURIComponent(uri.user) } : {}) };
    const call = new SipCall(`o${++this.seq}`, 'outgoing', remote, this.env, req);
    const fresh = direct ? undefined : this.link.callTarget?.();
    if (!fresh) call.start();
    else {
      // a failed lookup falls back on the registered address
      fresh.then(
        (t) => this.env.guard(() => call.start(t)),
        () => this.env.guard(() => call.start()),
      );
    }
    return call;
  }

  private incoming(req: SipRequest, tx: ServerTransaction): void {
    // RFC 3891 §3: an INVITE replacing one of our dialogs (to-tag = our tag, from-tag = theirs)
    let replaces: SipCall | undefined;
    const rh = req.headers.get('Replaces');
    if (rh) {
      try {
        const r = decodeReplaces(rh);
        replaces = this.byDialog.get(dialogKey(r.callId, r.toTag, r.fromTag));
      } catch {
        replaces = undefined;
      }
      if (!replaces || replaces.state !== 'confirmed') {
        tx.respond(this.link.core.makeResponse(req, 481));
        return;
      }
    }
    const remote = remotePartyOf(req);
    const call = new SipCall(`i${++this.seq}`, 'incoming', remote, this.env, req, tx);
    // RFC 3262 §3: provisional responses go reliably when P272 is on and the caller supports it
    const tags = [...req.headers.getAll('Supported'), ...req.headers.getAll('Require')].map((t) => t.trim().toLowerCase());
    if (this.settings().rel100 && tags.includes('100rel')) call.sendProvisionalsReliably();
    this.byInvite.set(tx, call);
    if (!this.handler) {
      call.reject(480);
      return;
    }
    const requestUser = unescapeUser(req.uri.kind === 'sip' ? req.uri.user : req.uri.kind === 'tel' ? req.uri.number : undefined);
    this.handler({ call, offer: sdpOf(req), ...(replaces ? { replaces } : {}), ...(requestUser !== undefined ? { requestUser } : {}) });
  }
}
