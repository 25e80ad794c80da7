/**
 * The 'pnp' service: "3CX Auto Provision" (P1414). At boot, when P1414 = 1, the unit sends one
 * SUBSCRIBE for its device profile (pnp-messages.ts) from a port of its own to the PnP address
 * (the SIP multicast group unless the command line names another), retransmitted as any UDP
 * non-INVITE request (RFC 3261 §17.1.2.2) until Timer F. A PBX that answers sends a NOTIFY with
 * its provisioning URL: the unit answers 200, makes the URL its config server path (P237) and
 * provisions from it at once. Then the port closes; an idle unit keeps nothing of this.
 *
 * Choices where the HT813 documents nothing: only at boot (a later change of P1414 waits for the
 * next boot, as the firmware's "at boot" wording says); the URL is kept in P237, so later checks
 * go to the PBX as well; a NOTIFY is awaited for 64×T1 after the 2xx (RFC 6665 §4.1.2.4 lets it
 * come first, which is accepted too); the server transaction's Timer J is let run before closing.
 */
import type { Cancel } from '../../shared/clock';
import type { Service, ServiceContext, StopReason } from '../../service';
import { HtError } from '../../shared/errors';
import type { SipRequest } from '../../voice/sip/syntax/message';
import { Params } from '../../voice/sip/syntax/params';
import { sipUri, hostForUri } from '../../voice/sip/syntax/uri';
import { TransactionLayer } from '../../voice/sip/transaction/transaction-layer';
import { sipTimers, txTimeout } from '../../voice/sip/transaction/timers';
import type { ServerTransaction } from '../../voice/sip/transaction/server-transactions';
import { SipTransports } from '../../voice/sip/transport/sip-transports';
import type { HostPort, Transport } from '../../voice/sip/transport/transport';
import { UserAgentCore } from '../../voice/sip/ua/user-agent-core';
import { redact } from '../server-urls';
import { parsePnpTarget, PnpError, pnpUser, PNP_MULTICAST, readPnpNotify, uaProfileEvent } from './pnp-messages';

declare module '../../status' {
  interface StatusMap {
    'provision.pnp': PnpStatus;
  }
}

export type PnpState = 'off' | 'subscribing' | 'awaiting-notify' | 'provisioned' | 'no-answer' | 'refused' | 'stopped';

/** The exchange's transitions (one table for every unit). */
const ALLOWED: Readonly<Record<PnpState, readonly PnpState[]>> = {
  off: ['subscribing', 'stopped'],
  subscribing: ['awaiting-notify', 'provisioned', 'no-answer', 'refused', 'stopped'],
  'awaiting-notify': ['provisioned', 'no-answer', 'stopped'],
  provisioned: ['stopped'],
  'no-answer': ['stopped'],
  refused: ['stopped'],
  stopped: [],
};

export interface PnpStatus {
  state: PnpState;
  /** What ended the exchange, or the URL it provisioned from. */
  detail?: string;
}

export interface PnpServiceOptions {
  /** Transport factory (tests: the in-memory network). Default: a UDP socket on the unit's address, any port. */
  openTransport?: () => Promise<Transport>;
}

/** What the provisioner offers (cpe/provision/provisioner.ts), duck-typed as the SIP service does. */
interface Reprovisioner {
  provisionNow(reason: string): Promise<unknown>;
}

export class PnpService implements Service {
  readonly name = 'pnp';
  private st: PnpStatus = { state: 'off' };
  private transport: Transport | undefined;
  private layer: TransactionLayer | undefined;
  private timer: Cancel | undefined;
  private callId = '';
  private finished: () => void = () => {};
  private readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(
    private readonly ctx: ServiceContext,
    private readonly opts: PnpServiceOptions = {},
  ) {}

  get status(): PnpStatus {
    return { ...this.st };
  }

  /** Resolves once the exchange has ended (or never ran, or the service stopped), with how it ended. */
  async whenDone(): Promise<PnpStatus> {
    await this.done;
    return this.status;
  }

  async start(): Promise<void> {
    this.ctx.status.provide('provision.pnp', () => this.status);
    if (this.ctx.store.get(1414) !== '1') return this.finished();
    const target = parsePnpTarget(this.ctx.network.pnpTarget ?? PNP_MULTICAST);
    // boot goes on: the exchange runs on its own
    this.subscribe(target).catch((e: Error) => this.end('no-answer', `PnP port: ${e.message}`));
  }

  async stop(_reason: StopReason): Promise<void> {
    if (this.st.state !== 'stopped') this.move('stopped');
    this.finished();
    await this.close();
    this.ctx.status.withdraw('provision.pnp');
  }

  private async subscribe(target: HostPort): Promise<void> {
    const { ctx } = this;
    this.move('subscribing');
    const transport = await (this.opts.openTransport ?? (() => this.openSocket()))();
    if (this.st.state !== 'subscribing') {
      await transport.close(); // stopped while the port opened
      return;
    }
    this.transport = transport;
    const timers = sipTimers();
    const layer = new TransactionLayer(transport, { clock: ctx.clock, random: ctx.random, log: ctx.log, timers }, {
      onRequest: (r, tx, inc) => core.onRequest(r, tx, inc),
    });
    this.layer = layer;
    const local = transport.localAddress('udp');
    const aor = sipUri(hostForUri(target.address), { user: pnpUser(ctx.identity.mac), ...(target.port !== 5060 ? { port: target.port } : {}) });
    const core = new UserAgentCore(layer, {
      random: ctx.random,
      log: ctx.log,
      userAgent: `Grandstream ${ctx.identity.model} ${ctx.identity.firmwareVersion}`,
      aor: () => aor,
      contact: () => ({ uri: sipUri(hostForUri(local.address), { port: local.port }), params: new Params() }),
    });
    // the NOTIFY carries our From tag as its To tag: it is in the dialog the SUBSCRIBE made (RFC 6665 §4.1.2.4)
    core.onInDialogRequest = (req, tx) => (req.method === 'NOTIFY' ? this.onNotify(core, req, tx) : tx.respond(core.makeResponse(req, 481)));
    const req = core.createRequest('SUBSCRIBE', aor, { to: { uri: aor, params: new Params() } });
    req.headers.add('Event', uaProfileEvent(ctx.identity.model, ctx.identity.firmwareVersion));
    req.headers.add('Accept', 'application/url');
    req.headers.add('Expires', '0');
    this.callId = req.callId;
    ctx.log.info({ to: `${target.address}:${target.port}` }, 'pnp: SUBSCRIBE ua-profile (3CX auto provision)');
    core.request(req, { protocol: 'udp', ...target }, {
      onFinal: (res) => {
        if (this.st.state !== 'subscribing') return;
        if (res.status >= 300) return this.end('refused', `SUBSCRIBE answered ${res.status} ${res.reason}`);
        this.move('awaiting-notify');
        this.timer = ctx.clock.setTimer(txTimeout(timers), () => this.end('no-answer', 'no NOTIFY after the 2xx'));
      },
      onTimeout: () => this.end('no-answer', 'no PnP server answered'),
      onTransportError: (err) => this.end('no-answer', `SUBSCRIBE not sent: ${err.message}`),
    });
  }

  private onNotify(core: UserAgentCore, req: SipRequest, tx: ServerTransaction): void {
    const live = this.st.state === 'subscribing' || this.st.state === 'awaiting-notify';
    let url: string;
    try {
      if (!live) throw new PnpError(481, 'the PnP subscription is over');
      url = readPnpNotify(req, this.callId);
      // the same checks as any other writer's: a URL the catalogue refuses is refused here
      this.ctx.store.applyOrThrow({ P237: url }, 'provision');
    } catch (e) {
      const status = e instanceof PnpError ? e.status : 400;
      const why = (e as Error).message;
      this.ctx.log.warn({ status, err: why, code: e instanceof HtError ? e.code : undefined }, 'pnp: NOTIFY refused');
      // a 400 says what was wrong in its reason phrase (§21.4.1); the others' statuses say it
      if (status === 415) return tx.respond(core.makeResponse(req, 415, { headers: [['Accept', 'application/url']] })); // §21.4.13
      return tx.respond(core.makeResponse(req, status, status === 400 ? { reason: `Bad Request: ${why.slice(0, 100).replace(/[\r\n]/g, ' ')}` } : {}));
    }
    tx.respond(core.makeResponse(req, 200));
    this.end('provisioned', redact(url)); // user:password@ in a URL stays out of logs and status
    const p = this.ctx.services.get('provision') as unknown as Partial<Reprovisioner> | undefined;
    if (typeof p?.provisionNow === 'function') {
      p.provisionNow('3CX auto provision (SIP PnP NOTIFY)').catch((e: Error) => this.ctx.log.warn({ err: e.message }, 'pnp: provisioning failed'));
    }
  }

  /** The exchange is over: a final state, and the port closes once the last transaction ends (Timer J/K). */
  private end(state: 'provisioned' | 'no-answer' | 'refused', detail: string): void {
    if (this.st.state !== 'subscribing' && this.st.state !== 'awaiting-notify') return;
    this.move(state, detail);
    this.ctx.log.info({ state, detail }, 'pnp: done');
    this.finished();
    this.timer?.();
    this.timer = undefined;
    const linger = this.layer && this.layer.size > 0 ? txTimeout(this.layer.timers) : 0;
    this.timer = this.ctx.clock.setTimer(linger, () => {
      this.timer = undefined;
      void this.close();
    });
  }

  private move(to: PnpState, detail?: string): void {
    if (!ALLOWED[this.st.state].includes(to)) throw new HtError('ERR_PNP_STATE', `pnp: ${this.st.state} → ${to} not allowed`);
    this.st = detail === undefined ? { state: to } : { state: to, detail };
  }

  private async close(): Promise<void> {
    this.timer?.();
    this.timer = undefined;
    this.layer?.close();
    this.layer = undefined;
    const t = this.transport;
    this.transport = undefined;
    await t?.close().catch((e: unknown) => this.ctx.log.warn({ err: String(e) }, 'pnp: closing the port failed'));
  }

  private async openSocket(): Promise<Transport> {
    const t = new SipTransports({ address: this.ctx.network.address, port: 0, listenTcp: false, clock: this.ctx.clock, log: this.ctx.log });
    await t.start();
    return t;
  }
}

export function createPnpService(ctx: ServiceContext): PnpService {
  return new PnpService(ctx);
}
