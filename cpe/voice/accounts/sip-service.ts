/**
 * The 'sip' service: the unit's two accounts (1 = FXS, 2 = FXO), each on its own local port, from
 * their P-values; re-registers (or unregisters) an account at once when a change event touches
 * its P-values; publishes 'sip.accounts' on the StatusBoard.
 */
import { EventEmitter } from 'node:events';
import type { HwService } from '../../hw/service';
import { Resolver } from 'node:dns/promises';
import type { Service, ServiceContext, StopReason } from '../../service';
import type { ChangeEvent } from '../../params/types';
import { SipTransports } from '../sip/transport/sip-transports';
import type { DnsResolver } from '../sip/transport/locator';
import type { Transport } from '../sip/transport/transport';
import { Account, type AccountStatus } from './account';
import { accountPValues, readAccountConfig, type AccountConfig, type Profile } from './account-config';
import { readInboundPolicy } from './inbound-policy';

declare module '../../status' {
  interface StatusMap {
    'sip.accounts': AccountStatus[];
  }
}

export interface SipServiceOptions {
  /** Transport factory (tests: the in-memory network). Default: real sockets on ctx.network.address. */
  openTransport?: (cfg: AccountConfig) => Promise<Transport>;
  dns?: DnsResolver;
}

/** What the provisioner offers for NOTIFY check-sync (duck-typed until cpe/provision lands). */
interface Reprovisioner {
  provisionNow(reason: string): Promise<unknown>;
}

export class SipService implements Service {
  readonly name = 'sip';
  /** 'resync' (profile, event) when no provisioner is running; 'status' (AccountStatus) on every change. */
  readonly events = new EventEmitter();
  private readonly accounts: [Account, Account];
  private readonly chains: [Promise<void>, Promise<void>] = [Promise.resolve(), Promise.resolve()];
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    opts: SipServiceOptions = {},
  ) {
    const dns = opts.dns ?? new Resolver({ timeout: 3000, tries: 2 });
    const make = (profile: Profile): Account =>
      new Account(profile, {
        clock: ctx.clock,
        random: ctx.random,
        log: ctx.log.child({ account: profile }),
        dns,
        openTransport: opts.openTransport ?? ((cfg) => this.openRealTransport(cfg)),
        instanceSeed: ctx.identity.mac,
        // read per request: a change of P243, P4340, P258, P2346 or P28127 needs no re-registration
        policy: () => readInboundPolicy(ctx.store, profile),
        onStatus: (s) => {
          this.events.emit('status', s);
          // The lifeline relay (P891 Auto) follows registration failures at once.
          ctx.services.get<HwService>('hw')?.registrationChanged();
        },
        hooks: {
          resync: (p, event) => this.resync(p, event),
          factoryReset: () => {
            ctx.device.factoryReset('full', 'SIP NOTIFY Event: reset').catch((e: Error) => ctx.log.error({ err: e.message }, 'sip: factory reset refused'));
          },
        },
      });
    this.accounts = [make(1), make(2)];
  }

  /** Account 1 (FXS) or 2 (FXO): its UA core is `account(n).core` once started. */
  account(profile: Profile): Account {
    return this.accounts[profile - 1] as Account;
  }

  statuses(): AccountStatus[] {
    return this.accounts.map((a) => a.status());
  }

  async start(): Promise<void> {
    this.ctx.status.provide('sip.accounts', () => this.statuses());
    this.unsubscribe = this.ctx.store.subscribe((e) => this.onChange(e));
    await Promise.all([1, 2].map((p) => this.enqueue(p as Profile, () => this.account(p as Profile).start(this.config(p as Profile)))));
  }

  async stop(reason: StopReason): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await Promise.all(
      this.accounts.map((a) => this.enqueue(a.profile, () => a.stop({ unregister: reason === 'reset' || (a.cfg?.unregisterOnReboot ?? false) }))),
    );
    this.ctx.status.withdraw('sip.accounts');
  }

  private config(profile: Profile): AccountConfig {
    return readAccountConfig(this.ctx.store, profile, this.ctx.identity.firmwareVersion, this.ctx.ports.offset ?? 0, this.ctx.network.dhcpOptions.get(120));
  }

  /** A change to an account's P-values: unregister from the old settings, register with the new ones. */
  private onChange(e: ChangeEvent): void {
    for (const p of [1, 2] as const) {
      const mine = accountPValues(p);
      if (!e.changes.some((c) => mine.has(c.id))) continue;
      this.ctx.log.info({ account: p, source: e.source }, 'sip: account settings changed, re-registering');
      void this.enqueue(p, async () => {
        const a = this.account(p);
        await a.stop({ unregister: true });
        await a.start(this.config(p));
      });
    }
  }

  private enqueue(p: Profile, fn: () => Promise<void>): Promise<void> {
    const i = p - 1;
    const next = (this.chains[i] as Promise<void>).then(fn).catch((e: Error) => this.ctx.log.error({ account: p, err: e.message }, 'sip: account task failed'));
    this.chains[i] = next;
    return next;
  }

  private async openRealTransport(cfg: AccountConfig): Promise<Transport> {
    const t = new SipTransports({
      address: this.ctx.network.address,
      port: cfg.randomPort ? 0 : cfg.localPort,
      tls: { ca: cfg.trustedCas, rejectUnauthorized: cfg.tlsCheckChain, checkDomain: cfg.tlsCheckDomain, versions: cfg.tlsVersions },
      clock: this.ctx.clock,
      log: this.ctx.log.child({ account: cfg.profile }),
    });
    await t.start();
    return t;
  }

  private resync(profile: Profile, event: string): void {
    const p = this.ctx.services.get('provision') as unknown as Partial<Reprovisioner> | undefined;
    if (p && typeof p.provisionNow === 'function') {
      p.provisionNow(`SIP NOTIFY ${event} (account ${profile})`).catch((e: Error) => this.ctx.log.warn({ err: e.message }, 'sip: re-provision failed'));
    } else this.events.emit('resync', profile, event);
  }
}
