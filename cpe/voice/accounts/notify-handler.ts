/**
 * Incoming NOTIFY outside a subscription (the ITSP's remote control): `Event: check-sync` or
 * `resync` starts a config re-provision; `Event: reset` a full factory reset when P26015/P26115
 * allow it. Unless P4428 turns it off, the NOTIFY must authenticate with the account's digest
 * credentials (401 challenge first). Other events get 489 Bad Event (RFC 6665 §8.2.1).
 */
import type { AccountDeps, Account } from './account';
import { DigestServer } from '../sip/auth/digest-server';
import type { UserAgentCore } from '../sip/ua/user-agent-core';

export interface NotifyHooks {
  /** check-sync / resync: re-provision now. */
  resync(profile: 1 | 2, event: string): void;
  /** reset: full factory reset. */
  factoryReset(profile: 1 | 2): void;
}

export function installNotifyHandler(account: Account, core: UserAgentCore, deps: AccountDeps): void {
  const auth = new DigestServer(deps.random, 'HT813');
  core.handle('NOTIFY', (req, tx) => {
    const cfg = account.cfg;
    const event = (req.headers.get('Event') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!cfg || !['check-sync', 'resync', 'reset'].includes(event)) return tx.respond(core.makeResponse(req, 489));
    if (cfg.notifyAuth && !auth.verify(req, cfg.authId, cfg.password)) {
      deps.log.info({ event }, 'sip: NOTIFY challenged');
      return tx.respond(core.makeResponse(req, 401, { headers: [['WWW-Authenticate', auth.challenge()]] }));
    }
    if (event === 'reset') {
      if (!cfg.allowNotifyReset) {
        deps.log.warn({ account: account.profile }, 'sip: NOTIFY reset refused (not allowed by P26015/P26115)');
        return tx.respond(core.makeResponse(req, 403));
      }
      tx.respond(core.makeResponse(req, 200));
      deps.log.warn({ account: account.profile }, 'sip: NOTIFY reset: factory reset');
      deps.hooks?.factoryReset(account.profile);
      return;
    }
    tx.respond(core.makeResponse(req, 200));
    deps.log.info({ account: account.profile, event }, 'sip: NOTIFY re-provision');
    deps.hooks?.resync(account.profile, event);
  });
}
