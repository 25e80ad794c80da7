/**
 * applyConfigFile: the one path every config file takes (provisioner, TR-069 Download FileType 3,
 * web upload): decode by format (binary, XML, encrypted XML with P1359), then one batch through
 * the store with source `provision`. Unknown P-numbers are skipped with one warning listing them;
 * any structural fault or invalid known value rejects the whole file and changes nothing.
 */
import type { ParamStore } from '../params/store';
import type { AccessLevel, BatchEntryError, Change, Source } from '../params/types';
import type { Logger } from '../shared/logger';
import { DecodeError } from '../shared/errors';
import { decodeConfigFile, type ConfigFormat } from './codec/config-file';

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
  const r = store.apply(decoded.entries, ctx.source ?? 'provision', { skipUnknown: true, ...(ctx.level ? { level: ctx.level } : {}) });
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
