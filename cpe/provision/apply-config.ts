/**
 * applyConfigFile: the one path every config file takes (provisioner, TR-069 Download FileType 3,
 * web upload): decode by format (binary, XML, encrypted XML with P1359), then one batch through
 * the store with source `provision`. Unknown P-numbers are skipped with one warning listing them;
 * any structural fault or invalid known value rejects the whole file and changes nothing.
 * With P240 ("Authenticate Config File") a file fetched by the unit (provisioning, TR-069
 * Download) must carry P2 equal to the unit's admin password, else it is refused whole. The
 * reference marks the exact rule [?]; this is our choice, after the firmware's own message
 * "Authenticate config file is set, but admin password is empty": with no admin password set,
 * nothing authenticates. A web upload is made by a logged-in admin and is not asked again.
 */
import type { ParamStore } from '../params/store';
import type { AccessLevel, BatchEntryError, Change, Source } from '../params/types';
import type { Logger } from '../shared/logger';
import { DecodeError } from '../shared/errors';
import { createHash, timingSafeEqual } from 'node:crypto';
import { decodeConfigFile, type ConfigFormat } from './codec/config-file';
import type { ConfigEntries } from './codec/config-entries';

export interface ApplyConfigContext {
  readonly store: ParamStore;
  /** The unit's MAC: a file naming another unit is refused. */
  readonly mac: string;
  readonly log: Logger;
  /** Where the file came from, for logs and results. */
  readonly url?: string;
  /** Default `provision`; TR-069 Download passes `cwmp`, a web upload `web` with its level. */
  readonly source?: Source;
  readonly level?: AccessLevel;
}

export interface ApplyConfigResult {
  readonly ok: boolean;
  readonly format?: ConfigFormat;
  /** How many P-values the file carries. */
  readonly entries: number;
  readonly changes: readonly Change[];
  /** Unknown P-numbers skipped ('P99999'). */
  readonly skipped: readonly string[];
  /** Invalid known values (the store's messages name the P-number, the value and the rule). */
  readonly errors: readonly BatchEntryError[];
  readonly rebootRequired: boolean;
  /** Why the file was rejected, one line. */
  readonly reason?: string;
}

export function applyConfigFile(bytes: Uint8Array, ctx: ApplyConfigContext): ApplyConfigResult {
  const { store, log, url } = ctx;
  let decoded;
  try {
    decoded = decodeConfigFile(bytes, { mac: ctx.mac, password: store.get(1359) });
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    log.error({ url, reason: e.message }, 'config file rejected');
    return { ok: false, entries: 0, changes: [], skipped: [], errors: [], rebootRequired: false, reason: e.message };
  }
  const source = ctx.source ?? 'provision';
  if (source !== 'web' && store.get(240) === '1') {
    const refused = authenticationFault(decoded.entries, store.get(2));
    if (refused) {
      log.error({ url, format: decoded.format, reason: refused }, 'config file rejected');
      return { ok: false, format: decoded.format, entries: decoded.entries.length, changes: [], skipped: [], errors: [], rebootRequired: false, reason: refused };
    }
  }
  const r = store.apply(decoded.entries, source, { skipUnknown: true, ...(ctx.level ? { level: ctx.level } : {}) });
  if (r.skipped.length > 0) {
    log.warn({ url, skipped: r.skipped }, `config file: ${r.skipped.length} unknown P-value(s) skipped`);
  }
  if (!r.ok) {
    const reason = `${r.errors.length} invalid value(s): ${r.errors.map((e) => e.message).join('; ')}`;
    log.error({ url, format: decoded.format, errors: r.errors.map((e) => e.message) }, 'config file rejected');
    return { ok: false, format: decoded.format, entries: decoded.entries.length, changes: [], skipped: r.skipped, errors: r.errors, rebootRequired: false, reason };
  }
  log.info(
    { url, format: decoded.format, entries: decoded.entries.length, changed: r.changes.map((c) => `P${c.id}`), rebootRequired: r.rebootRequired },
    'config file applied',
  );
  return { ok: true, format: decoded.format, entries: decoded.entries.length, changes: r.changes, skipped: r.skipped, errors: [], rebootRequired: r.rebootRequired };
}

/** P240: why a file does not authenticate against the admin password (P2), or undefined when it does. */
function authenticationFault(entries: ConfigEntries, adminPassword: string): string | undefined {
  if (adminPassword === '') return 'P240 (authenticate config file) is set, but the admin password (P2) is empty';
  const given = entries.filter(([id]) => id === 2).map(([, v]) => v);
  if (given.length === 0) return 'P240 (authenticate config file) is set: the file carries no P2 (admin password)';
  // compared as digests: equal length inputs for timingSafeEqual, whatever the lengths given
  const digest = (v: string): Buffer => createHash('sha256').update(v, 'utf8').digest();
  if (!given.every((v) => timingSafeEqual(digest(v), digest(adminPassword)))) return 'P240 (authenticate config file) is set: the file\'s P2 is not the admin password';
  return undefined;
}
