/**
 * One SIP account (user guide "Register a SIP Account"): its own local port, transport, transaction
 * layer and UA core, and the registration state machine with failover, prefer-primary, retry
 * after failure / after 403, OPTIONS and NAT keep-alives, and the NOTIFY check-sync / reset hooks.
 * State: not-registered → registering → registered / failed (string union, ALLOWED table).
 */
import type { Cancel, Clock } from '../../shared/clock';
import { HtError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { Random } from '../../shared/random';
import { Params } from '../sip/syntax/params';
import type { NameAddr } from '../sip/syntax/name-addr';
import { hostForUri, sipUri, type SipUri } from '../sip/syntax/uri';
import { locate, type DnsResolver } from '../sip/transport/locator';
import { canStun, type Transport, type TransportTarget } from '../sip/transport/transport';
import { TransactionLayer } from '../sip/transaction/transaction-layer';
import { RegisterClient, type RegisterOutcome, type RegisterRequest } from '../sip/ua/register-client';
import { UserAgentCore } from '../sip/ua/user-agent-core';
import type { AccountConfig, Profile } from './account-config';
import { InboundScreen } from './inbound-screen';
import type { InboundPolicy } from './inbound-policy';
import { KeepAlives } from './keep-alives';
import { instanceUuid } from './instance-id';
import { installNotifyHandler, type NotifyHooks } from './notify-handler';
import { buildRegisterRequest } from './register-request';
import { hostText, ServerTargets } from './server-targets';
import { StunBinding } from './stun-binding';
import { TrustedSources } from './trusted-sources';

export type AccountState = 'not-registered' | 'registering' | 'registered' | 'failed';

const ALLOWED: Readonly<Record<AccountState, readonly AccountState[]>> = {
  'not-registered': ['registering', 'failed'],
  registering: ['registered', 'failed', 'not-registered', 'registering'],
  registered: ['registering', 'failed', 'not-registered'],
  failed: ['registering', 'not-registered'],
};

export interface AccountStatus {
  account: Profile;
  port: 'FXS' | 'FXO';
  userId: string;
  state: AccountState;
  /** Why not registered / failed (e.g. "403 Forbidden", "timeout", "account inactive"). */
  reason?: string;
  /** The server (as configured) we are registered with or trying. */
  server?: string;
  transport?: string;
  registeredAt?: number;
  expiresAt?: number;
  contact?: string;
}

export interface AccountDeps {
  clock: Clock;
  random: Random;
  log: Logger;
  dns: DnsResolver;
  /** Opens the account's transport on its local port (real sockets in the unit, in-memory in tests). */
  openTransport(cfg: AccountConfig): Promise<Transport>;
  /** Seed of the SIP instance ID (the unit's MAC). */
  instanceSeed: string;
  hooks?: NotifyHooks;
  onStatus?(s: AccountStatus): void;
  /** The incoming-request rules (P243, P4340, P258, P2346, P28127), read per request; absent: all off. */
  policy?(): InboundPolicy;
}

export class AccountError extends HtError {
  constructor(message: string) {
    super('ERR_SIP_ACCOUNT', message);
  }
}

export class Account {
  state: AccountState = 'not-registered';
  reason: string | undefined = 'not started';
  cfg: AccountConfig | undefined;
  core: UserAgentCore | undefined;
  layer: TransactionLayer | undefined;
  transport: Transport | undefined;
  /** Candidates (servers × proxies) and their resolved addresses, in failover order. */
  private readonly servers = new ServerTargets();
  private registrar: RegisterClient | undefined;
  private timers = new Map<string, Cancel>();
  private generation = 0;
  private registeredAt: number | undefined;
  private expiresAt: number | undefined;
  private publicAddress: { address: string; port: number } | undefined;
  private expiresAsked = 3600;
  private readonly keepAlives: KeepAlives;
  private stun: StunBinding | undefined;
  /** The STUN address changed while a REGISTER was in flight: register again once it completes. */
  private contactStale = false;
  /** The +sip.instance value: fixed for the life of the account (its seed and profile are). */
  private instanceParam: string | undefined;
  /**
   * The incoming-request rules and the server addresses P243/P743 compares with, made at the first
   * request after a start (a fleet that only registers never builds them) or when P243 is on.
   */
  private inbound: { screen: InboundScreen; trusted: TrustedSources } | undefined;

  constructor(
    readonly profile: Profile,
    private readonly deps: AccountDeps,
  ) {
    this.keepAlives = new KeepAlives(this, deps);
  }

  get log(): Logger {
    return this.deps.log;
  }

  /** The address requests of this account currently go to. */
  get target(): TransportTarget | undefined {
    return this.servers.target;
  }

  /**
   * P28092 = 0: the current server looked up again (RFC 3263) for a new call, its first
   * address; undefined when there is none or the lookup fails (the caller keeps `target`).
   */
  async freshTarget(): Promise<TransportTarget | undefined> {
    const c = this.servers.current;
    const cfg = this.cfg;
    if (!c || !cfg || !this.core) return undefined; // stopped: no calls to place
    try {
      return (await locate(c.via.host, c.via.port, cfg.protocol, cfg.dnsMode, this.deps.dns))[0];
    } catch {
      return undefined;
    }
  }

  // ---- lifecycle ----

  async start(cfg: AccountConfig): Promise<void> {
    const gen = ++this.generation;
    this.cfg = cfg;
    this.publicAddress = undefined;
    this.contactStale = false;
    this.expiresAsked = cfg.expiresSeconds;
    if (!cfg.active) return this.set('not-registered', 'account inactive');
    let transport: Transport;
    try {
      transport = await this.deps.openTransport(cfg);
    } catch (e) {
      return this.set('failed', `local port ${cfg.localPort}: ${(e as Error).message}`);
    }
    // Stopped or restarted while the port was opening: this transport is nobody's, close it.
    if (gen !== this.generation) {
      await transport.close().catch((e: unknown) => this.deps.log.warn({ err: String(e) }, 'sip: closing an unused transport failed'));
      return;
    }
    this.transport = transport;
    // new rules per start: a server lookup still running for the old settings fills the old set
    this.inbound = undefined;
    this.layer = new TransactionLayer(this.transport, { clock: this.deps.clock, random: this.deps.random, log: this.deps.log, timers: cfg.timers }, {
      onRequest: (r, tx, inc) => this.core?.onRequest(r, tx, inc),
      onStrayResponse: (r, inc) => this.core?.onStrayResponseReceived(r, inc),
      screen: (r, inc) => this.inboundRules(cfg)?.screen.screen(r, inc),
    });
    this.core = new UserAgentCore(this.layer, {
      random: this.deps.random,
      log: this.deps.log,
      userAgent: cfg.userAgent,
      aor: () => this.aor(),
      displayName: () => cfg.displayName,
      contact: () => this.contact(),
    });
    if (this.deps.policy?.().onlyFromProxy) this.inboundRules(cfg);
    installNotifyHandler(this, this.core, this.deps);
    await this.startStun(cfg);
    if (gen !== this.generation) return;
    this.servers.reset(cfg);
    if (!cfg.register) return this.set('not-registered', 'registration disabled');
    if (this.servers.count === 0) return this.set('not-registered', 'no SIP server');
    this.registrar = new RegisterClient(this.core);
    if (cfg.unregisterOnReboot) await this.clearBindings(gen);
    if (gen !== this.generation) return;
    this.attempt(gen);
  }

  /** Stops timers, unregisters when asked (bounded wait), closes the transport. */
  async stop(opts: { unregister: boolean }): Promise<void> {
    const gen = ++this.generation;
    this.cancelAll();
    this.keepAlives.stop();
    this.stun?.stop();
    this.stun = undefined;
    if (opts.unregister && this.state === 'registered' && this.registrar && this.target && this.cfg) {
      await this.withTimeout(this.registrar.send(this.registerRequest(0)), 2000);
    }
    if (gen !== this.generation) return;
    this.layer?.close();
    await this.transport?.close();
    this.transport = undefined;
    this.layer = undefined;
    this.core = undefined;
    this.inbound = undefined;
    this.registrar = undefined;
    this.set('not-registered', 'stopped');
  }

  status(): AccountStatus {
    const s: AccountStatus = {
      account: this.profile, port: this.profile === 1 ? 'FXS' : 'FXO', userId: this.cfg?.userId ?? '', state: this.state,
    };
    if (this.reason !== undefined) s.reason = this.reason;
    const c = this.servers.current;
    if (c) s.server = hostText(c.server);
    if (this.cfg) s.transport = this.cfg.protocol.toUpperCase();
    if (this.state === 'registered') {
      if (this.registeredAt !== undefined) s.registeredAt = this.registeredAt;
      if (this.expiresAt !== undefined) s.expiresAt = this.expiresAt;
      s.contact = `<${this.contactUriText()}>`;
    }
    return s;
  }

  // ---- identity ----

  aor(): SipUri {
    return this.serverUri(this.cfg?.userId ?? '');
  }

  /** The AOR without its user part (§10.2: the Request-URI of a REGISTER). */
  registrarUri(): SipUri {
    return this.serverUri(undefined);
  }

  private serverUri(user: string | undefined): SipUri {
    const server = this.servers.server ?? { host: 'invalid' };
    const opts: Parameters<typeof sipUri>[1] = { scheme: this.cfg?.sips ? 'sips' : 'sip' };
    if (user !== undefined) opts.user = user;
    if (server.port !== undefined) opts.port = server.port;
    return sipUri(server.host, opts);
  }

  contact(): NameAddr {
    const cfg = this.cfg;
    const local = this.transport?.localAddress(cfg?.protocol ?? 'udp') ?? { address: '127.0.0.1', port: 5060 };
    // P101: an operator-given NAT address wins over what STUN or rport learned (static NAT, port kept)
    const addr = cfg?.natIp ? { address: cfg.natIp, port: local.port } : (this.publicAddress ?? local);
    const u = sipUri(hostForUri(addr.address), { user: cfg?.userId ?? '', port: addr.port, scheme: cfg?.sips ? 'sips' : 'sip' });
    if (cfg && cfg.protocol !== 'udp') u.params.set('transport', cfg.protocol);
    const params = new Params();
    // RFC 5626 §4.1 / RFC 5627: a stable instance ID per account of this unit
    if (cfg?.instanceId) params.set('+sip.instance', (this.instanceParam ??= `<urn:uuid:${instanceUuid(this.deps.instanceSeed, this.profile)}>`), true);
    return { uri: u, params };
  }

  private contactUriText(): string {
    const c = this.contact();
    const u = c.uri as SipUri;
    return `${u.scheme}:${u.user}@${u.host}:${u.port}${u.params.encode()}`;
  }

  /** Route for requests through an outbound proxy (loose routing), unless P4562 removes it. */
  route(): NameAddr[] {
    const c = this.servers.current;
    if (!c || !c.proxied || this.cfg?.removeObpFromRoute) return [];
    const u = sipUri(c.via.host, { scheme: this.cfg?.sips ? 'sips' : 'sip' });
    if (c.via.port !== undefined) u.port = c.via.port;
    u.params.set('lr', null);
    return [{ uri: u, params: new Params() }];
  }

  // ---- incoming requests ----

  /** The server and proxy addresses P243/P743 trusts now (empty until the rules are made). */
  trustedAddresses(): string[] {
    return this.inbound?.trusted.addresses() ?? [];
  }

  /** The rules of this start, made on first use; undefined without a policy (tests) or a core. */
  private inboundRules(cfg: AccountConfig): { screen: InboundScreen; trusted: TrustedSources } | undefined {
    const policy = this.deps.policy;
    if (this.inbound || !policy || !this.core) return this.inbound;
    const trusted = new TrustedSources();
    const lookUpTrusted = (): void => void trusted.refresh(cfg, this.deps.dns);
    if (policy().onlyFromProxy) lookUpTrusted();
    const screen = new InboundScreen({ profile: this.profile, cfg, core: this.core, trusted, lookUpTrusted, policy, clock: this.deps.clock, random: this.deps.random, log: this.deps.log });
    this.inbound = { screen, trusted };
    return this.inbound;
  }

  // ---- NAT traversal by STUN ----

  /** P52 = STUN: learn the public address of the SIP UDP socket before registering (stun-binding.ts). */
  private async startStun(cfg: AccountConfig): Promise<void> {
    this.stun?.stop();
    this.stun = undefined;
    const t = this.transport;
    if (cfg.nat !== 'stun' || !t) return;
    if (!cfg.stunServer) return this.deps.log.warn('sip: NAT traversal is STUN but no STUN server (P76) is set');
    if (cfg.protocol !== 'udp' || !canStun(t)) return this.deps.log.warn({ transport: cfg.protocol }, 'sip: STUN applies to UDP only');
    const gen = this.generation;
    const stun = new StunBinding({
      clock: this.deps.clock, random: this.deps.random, log: this.deps.log, dns: this.deps.dns, transport: t,
      server: cfg.stunServer, intervalMs: cfg.keepAliveSeconds * 1000,
      onChange: (a) => {
        if (gen !== this.generation) return;
        this.usePublicAddress(a);
        // a new public address: register the new Contact at once (or once the REGISTER in flight ends)
        if (!this.registrar || this.servers.count === 0) return;
        if (this.state === 'registered') this.attempt();
        else if (this.state === 'registering') this.contactStale = true;
      },
    });
    this.stun = stun;
    const first = await stun.start();
    if (first && gen === this.generation) this.usePublicAddress(first);
  }

  private usePublicAddress(a: { address: string; port: number }): void {
    this.publicAddress = { address: a.address, port: a.port };
    if (this.transport && canStun(this.transport)) this.transport.setPublicAddress(this.publicAddress);
    this.deps.log.info({ address: `${a.address}:${a.port}` }, 'sip: public address learned by STUN');
  }

  // ---- registration ----

  private registerRequest(expires: number, removeAll = false): RegisterRequest {
    return buildRegisterRequest(this.cfg as AccountConfig, {
      registrar: this.registrarUri(), target: this.target as TransportTarget, contact: this.contact(), route: this.route(), expires, removeAll,
    });
  }

  /** P81 "unregister on reboot": clear every binding of the AOR before registering (Contact: *). */
  private async clearBindings(gen: number): Promise<void> {
    if (!(await this.resolveTarget(gen)) || !this.registrar) return;
    await this.registrar.send(this.registerRequest(0, true));
  }

  private async resolveTarget(gen: number): Promise<boolean> {
    const c = this.servers.current;
    const cfg = this.cfg;
    if (!c || !cfg) return false;
    try {
      const target = await this.servers.resolve(cfg, this.deps.dns);
      return gen === this.generation && target !== undefined;
    } catch (e) {
      this.deps.log.warn({ server: hostText(c.via), err: (e as Error).message }, 'sip: cannot resolve server');
      return false;
    }
  }

  /** One REGISTER to the current candidate (resolved again unless `sameTargets`); the outcome decides what comes next. */
  attempt(gen = this.generation, sameTargets = false): void {
    this.cancel('retry');
    this.cancel('refresh');
    if (this.state !== 'registered') this.set('registering', undefined);
    this.servers.markTried();
    // P243/P743 on: the server and proxy names are looked up again with each registration
    const cfg = this.cfg;
    if (!sameTargets && cfg && this.deps.policy?.().onlyFromProxy) void this.inboundRules(cfg)?.trusted.refresh(cfg, this.deps.dns);
    void (async () => {
      if (!sameTargets && !(await this.resolveTarget(gen))) {
        if (gen === this.generation) this.onServerDown('DNS lookup failed');
        return;
      }
      const registrar = this.registrar;
      if (!registrar) return;
      const outcome = await registrar.send(this.registerRequest(this.expiresAsked));
      if (gen === this.generation) this.onOutcome(outcome, gen);
    })();
  }

  private onOutcome(o: RegisterOutcome, gen: number): void {
    const cfg = this.cfg as AccountConfig;
    switch (o.kind) {
      case 'registered': {
        // RFC 3581: the address the registrar saw; re-register once with it when NAT traversal is on
        const via = o.response.via[0];
        const received = via?.params.get('received');
        const rport = via?.params.get('rport');
        if (cfg.nat !== 'none' && !this.stun?.mapped && typeof received === 'string' && typeof rport === 'string' && rport !== '') {
          const seen = { address: received, port: Number(rport) };
          const cur = this.publicAddress ?? this.transport?.localAddress(cfg.protocol);
          if (cur && (cur.address !== seen.address || cur.port !== seen.port)) {
            this.publicAddress = seen;
            this.deps.log.info({ address: `${seen.address}:${seen.port}` }, 'sip: public address learned from rport');
            this.attempt(gen);
            return;
          }
        }
        if (this.contactStale) {
          this.contactStale = false;
          this.attempt(gen);
          return;
        }
        this.servers.newRound(false);
        this.registeredAt = this.deps.clock.now();
        this.expiresAt = this.registeredAt + o.expires * 1000;
        this.set('registered', undefined);
        this.timer('refresh', refreshDelay(o.expires, cfg.reregisterBeforeSeconds) * 1000, () => this.refresh());
        this.keepAlives.start();
        return;
      }
      case 'rejected':
        if (o.status === 423) {
          // §10.2.8: Interval Too Brief: ask again with Min-Expires
          const min = Number(o.response.headers.get('Min-Expires'));
          if (Number.isFinite(min) && min > this.expiresAsked) {
            this.expiresAsked = min;
            this.attempt(gen);
            return;
          }
        }
        if (o.status === 403) return this.fail(`${o.status} ${o.reason}`, cfg.retry403Seconds > 0 ? cfg.retry403Seconds : cfg.retrySeconds);
        if (o.status === 408 || o.status >= 500) return this.onServerDown(`${o.status} ${o.reason}`);
        return this.fail(`${o.status} ${o.reason}`, cfg.retrySeconds);
      case 'timeout':
        return this.onServerDown('no response');
      case 'transport-error':
        return this.onServerDown(o.message);
      default:
        return this.fail('unexpected outcome', cfg.retrySeconds);
    }
  }

  /**
   * The server (or proxy) did not answer or is unavailable: the next address of the same server
   * first (RFC 3263 §4.3: SRV targets and A records in order), then the failover server.
   */
  onServerDown(reason: string): void {
    const cfg = this.cfg as AccountConfig;
    this.keepAlives.stop();
    const from = this.target;
    const nextAddress = this.servers.nextAddress();
    if (nextAddress) {
      this.deps.log.warn({ reason, from: `${from?.address}:${from?.port}`, to: `${nextAddress.address}:${nextAddress.port}` }, 'sip: trying the next address of the server');
      this.set('registering', reason);
      this.attempt(this.generation, true);
      return;
    }
    const server = this.status().server;
    const next = this.servers.nextCandidate();
    if (next) {
      this.deps.log.warn({ reason, from: server, to: hostText(next.server) }, 'sip: failing over');
      this.set('registering', reason);
      this.attempt();
      return;
    }
    this.fail(reason, cfg.retrySeconds);
  }

  private fail(reason: string, retrySeconds: number): void {
    this.keepAlives.stop();
    this.set('failed', reason);
    this.deps.log.warn({ reason, retryInSeconds: retrySeconds }, 'sip: registration failed');
    this.timer('retry', retrySeconds * 1000, () => {
      // a new round: the primary first when preferred, else where we were
      this.servers.newRound(this.cfg?.preferPrimaryServer === true || this.cfg?.preferPrimaryProxy === true);
      this.attempt();
    });
  }

  /** Refresh before expiry; with prefer-primary a failover registration goes back to the primary (user guide). */
  private refresh(): void {
    const cfg = this.cfg as AccountConfig;
    const back = !this.servers.onPrimary && (cfg.preferPrimaryServer || cfg.preferPrimaryProxy);
    if (back) this.deps.log.info({ from: this.status().server }, 'sip: prefer primary: trying the primary again');
    this.servers.newRound(back);
    this.attempt();
  }

  // ---- plumbing ----

  set(state: AccountState, reason: string | undefined): void {
    if (state !== this.state && !ALLOWED[this.state].includes(state)) {
      throw new AccountError(`account ${this.profile}: ${this.state} → ${state} not allowed`);
    }
    const changed = state !== this.state || reason !== this.reason;
    if (state !== this.state) this.deps.log.info({ account: this.profile, from: this.state, to: state, reason }, 'sip account state');
    this.state = state;
    this.reason = reason;
    if (state !== 'registered') {
      this.registeredAt = undefined;
      this.expiresAt = undefined;
    }
    if (changed && this.deps.onStatus) this.deps.onStatus(this.status());
  }

  timer(name: string, ms: number, fn: () => void): void {
    this.cancel(name);
    this.timers.set(name, this.deps.clock.setTimer(ms, () => {
      this.timers.delete(name);
      fn();
    }));
  }

  cancel(name: string): void {
    this.timers.get(name)?.();
    this.timers.delete(name);
  }

  private cancelAll(): void {
    for (const c of this.timers.values()) c();
    this.timers.clear();
  }

  private withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const cancel = this.deps.clock.setTimer(ms, () => resolve(undefined));
      p.then((v) => {
        cancel();
        resolve(v);
      }, () => {
        cancel();
        resolve(undefined);
      });
    });
  }
}

/** When to refresh (s): P2330 seconds before expiry when set, else half-way for short expiries, 32 s before otherwise. */
export function refreshDelay(granted: number, before: number): number {
  if (before > 0 && before < granted) return granted - before;
  return granted > 64 ? granted - 32 : Math.max(1, Math.floor(granted / 2));
}

