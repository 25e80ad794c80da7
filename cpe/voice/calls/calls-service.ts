/**
 * The 'calls' service: the FXS telephony application of a unit. It joins the line hardware
 * ('hw' service, FXS port), media (RTP sessions on the media clock) and SIP account 1 ('sip'
 * service), keeps the line's feature state in the store's service state, follows account
 * restarts (a new UA core after a settings change), runs the MWI subscription when P99 asks,
 * and publishes the line's call state as 'voice.calls' (status page, TR-069 Line.CallState).
 */
import type { HwService } from '../../hw/service';
import { MediaClock } from '../../media/media-clock';
import { bindUdp } from '../../media/rtp/udp-socket';
import type { ChangeEvent } from '../../params/types';
import type { Service, ServiceContext, StopReason } from '../../service';
import type { Account } from '../accounts/account';
import type { SipService } from '../accounts/sip-service';
import { PersistedFeatureStore } from '../features/feature-state';
import { FxsLine, type LineStatus } from '../fxs/fxs-line';
import type { CallSignalling, IncomingCallInfo, OutgoingCallRequest, SignallingCall } from '../fxs/ports';
import { FxoGateway, type FxoGatewayStatus } from '../fxo/fxo-gateway';
import { fxoRtpPort, readRtpSettings, readSignallingSettings, rtpBasePort } from './call-settings';
import { GrandstreamDialPlan } from './dial-plan-adapter';
import { HwLinePort } from './hw-line-port';
import { unitIvrHost } from '../../ivr/unit-ivr-host';
import { applyMessageSummary, MwiSubscription } from './mwi-subscription';
import { RtpMediaFactory } from './rtp-media-session';
import { SipSignalling, type AccountLink } from './sip-signalling';

declare module '../../status' {
  interface StatusMap {
    'voice.calls': LineStatus[];
    /** The FXO port's gateway calls (VoIP ↔ PSTN). */
    'voice.fxo': FxoGatewayStatus;
  }
}

/** An AccountLink over the 'sip' service's account (its core changes when the account restarts). */
export function accountLink(a: Account): AccountLink | undefined {
  const core = a.core;
  if (!core) return undefined;
  return {
    core,
    registered: () => a.state === 'registered',
    serverTarget: () => a.target,
    domain: () => {
      const u = a.aor();
      return u.port !== undefined ? `${u.host}:${u.port}` : u.host;
    },
    credentials: () => (a.cfg && a.cfg.password !== '' ? { username: a.cfg.authId || a.cfg.userId, password: a.cfg.password } : undefined),
    aor: () => a.aor(),
    contact: () => a.contact(),
    protocol: () => a.cfg?.protocol ?? 'udp',
    route: () => a.route(),
    proxyRequire: () => a.cfg?.proxyRequire ?? '',
    callTarget: () => (a.cfg && !a.cfg.callsUseRegisteredAddress ? a.freshTarget() : undefined),
  };
}

/** CallSignalling that follows the account: rebinds to each new UA core, refuses calls while there is none. */
class AccountSignalling implements CallSignalling {
  current: SipSignalling | undefined;
  private bound: unknown;
  private handler: ((info: IncomingCallInfo) => void) | undefined;
  private mwi: MwiSubscription | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly account: Account,
    /** Message waiting for this account's line; undefined: no MWI (the FXO account). */
    private readonly onMwi: ((waiting: boolean, messageAccount?: string) => void) | undefined,
  ) {}

  /** Binds to the account's current core (idempotent); starts or stops MWI per P99. */
  sync(): void {
    const core = this.account.core;
    if (core !== this.bound) {
      this.mwi?.stop();
      this.mwi = undefined;
      this.current?.uninstall();
      this.current = undefined;
      this.bound = core;
      const link = accountLink(this.account);
      if (link) {
        const current = new SipSignalling(link, () => readSignallingSettings(this.ctx.store, this.account.profile), { clock: this.ctx.clock, random: this.ctx.random, log: this.ctx.log });
        this.current = current;
        if (this.handler) current.onIncoming(this.handler);
        // RFC 3842 §3: message-summary NOTIFYs without a subscription are honoured too
        const onMwi = this.onMwi;
        if (onMwi) {
          current.onUnsolicitedMwi((req, tx) => {
            tx.respond(link.core.makeResponse(req, 200));
            applyMessageSummary(req, onMwi, this.ctx.log);
          });
        }
      }
    }
    const onMwi = this.onMwi;
    const wantMwi = onMwi !== undefined && this.ctx.store.getBool(99) && this.account.state === 'registered' && this.current !== undefined;
    if (wantMwi && !this.mwi) {
      const link = accountLink(this.account);
      if (link && this.current) {
        this.mwi = new MwiSubscription(link, { clock: this.ctx.clock, log: this.ctx.log }, onMwi);
        this.current.addUsage(this.mwi);
        this.mwi.start();
      }
    } else if (!wantMwi && this.mwi) {
      this.mwi.stop();
      this.mwi = undefined;
    }
  }

  canCall(): boolean {
    this.sync();
    return this.current?.canCall() ?? false;
  }

  invite(request: OutgoingCallRequest): SignallingCall {
    this.sync();
    if (!this.current) throw new Error(`SIP account ${this.account.profile} is not running`);
    return this.current.invite(request);
  }

  onIncoming(handler: (info: IncomingCallInfo) => void): void {
    this.handler = handler;
    this.current?.onIncoming(handler);
  }

  stop(): void {
    this.mwi?.stop();
    this.mwi = undefined;
    this.current?.uninstall();
    this.current = undefined;
    this.bound = undefined;
  }
}

export class CallsService implements Service {
  readonly name = 'calls';
  private line: FxsLine | undefined;
  private signalling: AccountSignalling | undefined;
  private linePort: HwLinePort | undefined;
  private fxoSignalling: AccountSignalling | undefined;
  private gatewayRef: FxoGateway | undefined;
  private cleanup: (() => void)[] = [];

  constructor(private readonly ctx: ServiceContext) {}

  /** The FXS line (tests, the phone CLI). */
  get fxs(): FxsLine | undefined {
    return this.line;
  }

  /** The FXO gateway (tests). */
  get gateway(): FxoGateway | undefined {
    return this.gatewayRef;
  }

  get sipSignalling(): SipSignalling | undefined {
    return this.signalling?.current;
  }

  async start(): Promise<void> {
    const ctx = this.ctx;
    const hw = ctx.services.get<HwService>('hw');
    const sip = ctx.services.get<SipService>('sip');
    if (!hw || !sip) {
      ctx.log.error({ hw: !!hw, sip: !!sip }, 'calls: the hw and sip services must start first; FXS calls are off');
      return;
    }
    const account = sip.account(1);
    const mediaClock = new MediaClock(ctx.clock);
    this.linePort = new HwLinePort(hw.fxs, mediaClock, ctx.log, { busy: (b) => hw.setCallActive('fxs', b) });
    const media = new RtpMediaFactory({
      clock: ctx.clock,
      random: ctx.random,
      log: ctx.log,
      bind: bindUdp,
      settings: () => readRtpSettings(ctx.store, `${ctx.identity.mac}@ht813`),
    });
    const signalling = new AccountSignalling(ctx, account, (waiting, messageAccount) => this.line?.setMessageWaiting(waiting, messageAccount));
    this.signalling = signalling;
    signalling.sync();
    const fxoSignalling = new AccountSignalling(ctx, sip.account(2), undefined);
    this.fxoSignalling = fxoSignalling;
    fxoSignalling.sync();
    const onStatus = (): void => {
      signalling.sync();
      fxoSignalling.sync();
    };
    sip.events.on('status', onStatus);
    this.cleanup.push(() => sip.events.off('status', onStatus));
    this.cleanup.push(ctx.store.subscribe((e: ChangeEvent) => {
      if (e.changes.some((c) => c.id === 99)) signalling.sync();
    }));
    const userId = (() => {
      try {
        return ctx.store.get(35) || 'ht813';
      } catch {
        return 'ht813';
      }
    })();
    const gateway = new FxoGateway({
      fxo: hw.fxo,
      signalling: fxoSignalling,
      media,
      mediaClock,
      params: ctx.store,
      clock: ctx.clock,
      random: ctx.random,
      log: ctx.log.child({ port: 'fxo' }),
      mediaAddress: ctx.network.address,
      rtpPort: () => fxoRtpPort(ctx.store, ctx.ports.offset ?? 0),
      sdpUser: userId.replace(/[^A-Za-z0-9._-]/g, '') || 'ht813',
      accountUser: () => sip.account(2).cfg?.userId ?? '',
      busy: (b) => hw.setCallActive('fxo', b),
    });
    this.gatewayRef = gateway;
    ctx.status.provide('voice.fxo', () => gateway.status());
    this.line = new FxsLine({
      lineNumber: 1,
      line: this.linePort,
      media,
      signalling,
      pstn: gateway,
      dialPlan: new GrandstreamDialPlan(ctx.log),
      params: ctx.store,
      features: new PersistedFeatureStore(ctx.store.serviceState('calls'), 'line1'),
      clock: ctx.clock,
      random: ctx.random,
      log: ctx.log,
      mediaAddress: ctx.network.address,
      rtpBasePort: () => rtpBasePort(ctx.store, ctx.ports.offset ?? 0),
      sdpUser: userId.replace(/[^A-Za-z0-9._-]/g, '') || 'ht813',
      ivr: unitIvrHost(ctx, () => this.line?.voicemailUri),
    });
    this.line.start();
    gateway.attachPhone(this.line);
    const line = this.line;
    ctx.status.provide('voice.calls', () => [line.status()]);
  }

  async stop(_reason: StopReason): Promise<void> {
    this.ctx.status.withdraw('voice.calls');
    this.ctx.status.withdraw('voice.fxo');
    this.gatewayRef?.stop();
    this.gatewayRef = undefined;
    this.fxoSignalling?.stop();
    this.fxoSignalling = undefined;
    for (const c of this.cleanup) c();
    this.cleanup = [];
    this.line?.stop();
    this.line = undefined;
    this.linePort?.close();
    this.signalling?.stop();
    this.signalling = undefined;
  }
}

export function createCallsService(ctx: ServiceContext): Service {
  return new CallsService(ctx);
}
