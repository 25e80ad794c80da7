import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { Catalogue, ht813Catalogue } from './catalogue';
import { normaliseBatch, validateBatch, type ValidEntry } from './batch';
import { ParamError } from './param-error';
import { SCHEMA_VERSION, createSchema } from './schema';
import { ServiceState } from './service-state';
import type {
  AccessLevel,
  ApplyOptions,
  ApplyResult,
  AuditRecord,
  BatchInput,
  Change,
  ChangeEvent,
  ChangeListener,
  ParamDef,
  ResetType,
  Source,
  WriteGuard,
} from './types';

export const MASK = '********';
const DB_FILE = 'params.db';

export interface StoreOptions {
  readonly clock: Clock;
  readonly log: Logger;
  readonly catalogue?: Catalogue;
  /**
   * `full` fsyncs every commit (survives power loss); `normal` (WAL default) survives a crash of
   * the process, which is what a software unit can meet, and is several times faster. Default full.
   */
  readonly durability?: 'full' | 'normal';
}

/** What open() found: a fresh folder, a normal store, or a corrupt one moved aside. */
export interface OpenReport {
  readonly created: boolean;
  readonly recovered?: { readonly movedTo: string; readonly reason: string };
}

/**
 * The P-value database: the single source of truth (ARCHITECTURE.md "The one rule").
 * Reads come from an in-memory copy; every write is one validated batch committed in one SQLite
 * transaction, then announced by one change event. Model: obuspa src/core/dm_trans.c.
 */
export class ParamStore {
  readonly catalogue: Catalogue;
  readonly file: string;
  private readonly values = new Map<number, string>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly guards = new Set<WriteGuard>();
  /** Every guard in turn; the first refusal wins. */
  private readonly guard: WriteGuard = (id, source) => {
    for (const g of this.guards) {
      const why = g(id, source);
      if (why !== undefined) return why;
    }
    return undefined;
  };
  private readonly stmts: ReturnType<ParamStore['prepare']>;
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly opts: StoreOptions,
    readonly report: OpenReport,
  ) {
    this.file = file;
    this.catalogue = opts.catalogue ?? ht813Catalogue();
    this.stmts = this.prepare();
    for (const row of this.stmts.all.all() as { id: number; value: string }[]) this.values.set(row.id, row.value);
  }

  /**
   * Opens (or creates) the store in `dir`. A database that cannot be opened or fails its integrity
   * check is moved aside and the unit starts from defaults; the move is logged at error level.
   */
  static open(dir: string, opts: StoreOptions): ParamStore {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, DB_FILE);
    const created = !fs.existsSync(file);
    try {
      return new ParamStore(openDb(file, opts.durability ?? 'full'), file, opts, { created });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      const movedTo = `${file}.corrupt-${opts.clock.now()}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, movedTo + suffix);
      }
      opts.log.error(
        { subsystem: 'params', file, movedTo, reason },
        'parameter database unusable: moved aside, starting from factory defaults',
      );
      const db = openDb(file, opts.durability ?? 'full');
      return new ParamStore(db, file, opts, { created: true, recovered: { movedTo, reason } });
    }
  }

  private prepare() {
    const db = this.db;
    return {
      all: db.prepare('SELECT id, value FROM params'),
      upsert: db.prepare('INSERT INTO params (id, value) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET value = excluded.value'),
      remove: db.prepare('DELETE FROM params WHERE id = ?'),
      audit: db.prepare('INSERT INTO audit (time, source, id, old, new) VALUES (?, ?, ?, ?, ?)'),
      auditTail: db.prepare('SELECT seq, time, source, id, old, new FROM audit ORDER BY seq DESC LIMIT ?'),
      stagedAll: db.prepare('SELECT id, value FROM staged ORDER BY id'),
      stagedPut: db.prepare('INSERT INTO staged (id, value) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET value = excluded.value'),
      stagedClear: db.prepare('DELETE FROM staged'),
    };
  }

  // ---- reads ----

  /** The current value of a P-value (its default when never set). Throws on an unknown number: a programming error. */
  get(id: number): string {
    const v = this.values.get(id);
    if (v !== undefined) return v;
    const def = this.catalogue.get(id);
    if (!def) throw new Error(`P${id} is not in the catalogue`);
    return def.default;
  }

  /** The value as an integer (for int, bool, enum and octet parameters). */
  getInt(id: number): number {
    return Number(this.get(id));
  }

  getBool(id: number): boolean {
    return this.get(id) === '1';
  }

  /** Every P-value, in catalogue order. */
  snapshot(): Map<number, string> {
    const out = new Map<number, string>();
    for (const d of this.catalogue.entries) out.set(d.id, this.values.get(d.id) ?? d.default);
    return out;
  }

  def(id: number): ParamDef | undefined {
    return this.catalogue.get(id);
  }

  // ---- writes ----

  /**
   * Validates the whole batch (unknown number, type, range, enum, length, the writer's level), then
   * commits every entry in one transaction or nothing. One change event follows a commit that
   * changed something; writing a value a parameter already has is not a change.
   */
  apply(batch: BatchInput, source: Source, options: ApplyOptions = {}): ApplyResult {
    this.assertOpen();
    const level = levelOf(source, options.level);
    const { entries, errors, skipped } = validateBatch(this.catalogue, normaliseBatch(batch), source, level, options.skipUnknown === true, this.guard);
    if (errors.length > 0) return { ok: false, errors, changes: [], rebootRequired: false, skipped };
    const changes = this.commit(entries, source, false);
    return { ok: true, errors: [], changes, rebootRequired: this.needsReboot(changes), skipped };
  }

  /** Like apply, but throws ParamError('rejected') instead of returning errors. For internal writers. */
  applyOrThrow(batch: BatchInput, source: Source, options: ApplyOptions = {}): ApplyResult {
    const r = this.apply(batch, source, options);
    if (!r.ok) throw new ParamError('rejected', r.errors.map((e) => e.message).join('; '), r.errors);
    return r;
  }

  private commit(entries: readonly ValidEntry[], source: Source, clearStaged: boolean): Change[] {
    const changes: Change[] = [];
    for (const e of entries) {
      const old = this.get(e.def.id);
      if (old !== e.value) changes.push({ id: e.def.id, old, new: e.value });
    }
    if (changes.length === 0 && !clearStaged) return changes;
    const now = this.opts.clock.now();
    const defs = this.catalogue;
    this.db.transaction(() => {
      for (const c of changes) {
        const def = defs.get(c.id)!;
        if (c.new === def.default) this.stmts.remove.run(c.id);
        else this.stmts.upsert.run(c.id, c.new);
        this.stmts.audit.run(now, source, c.id, def.secret ? MASK : c.old, def.secret ? MASK : c.new);
      }
      if (clearStaged) this.stmts.stagedClear.run();
    })();
    for (const c of changes) {
      if (c.new === defs.get(c.id)!.default) this.values.delete(c.id);
      else this.values.set(c.id, c.new);
    }
    if (changes.length > 0) this.emit({ source, changes });
    return changes;
  }

  private needsReboot(changes: readonly Change[]): boolean {
    return changes.some((c) => this.catalogue.get(c.id)?.reboot === true);
  }

  // ---- staged batches (web UI Update vs Apply) ----

  /**
   * Validates and persists a batch without committing it: no change event until applyStaged().
   * Entries merge with what is already staged (later values win).
   */
  stage(batch: BatchInput, source: Source, options: ApplyOptions = {}): ApplyResult {
    this.assertOpen();
    const level = levelOf(source, options.level);
    const { entries, errors, skipped } = validateBatch(this.catalogue, normaliseBatch(batch), source, level, options.skipUnknown === true, this.guard);
    if (errors.length > 0) return { ok: false, errors, changes: [], rebootRequired: false, skipped };
    this.db.transaction(() => {
      for (const e of entries) this.stmts.stagedPut.run(e.def.id, e.value);
    })();
    return { ok: true, errors: [], changes: [], rebootRequired: false, skipped };
  }

  /** What Update has staged and Apply has not yet committed. */
  staged(): Array<[number, string]> {
    return (this.stmts.stagedAll.all() as { id: number; value: string }[]).map((r) => [r.id, r.value]);
  }

  /** Commits the staged entries plus `extra` (which wins) as one batch, and clears the stage in the same transaction. */
  applyStaged(source: Source, extra: BatchInput = [], options: ApplyOptions = {}): ApplyResult {
    this.assertOpen();
    const merged = new Map<string, string>();
    for (const [id, v] of this.staged()) merged.set(String(id), v);
    for (const [id, v] of normaliseBatch(extra)) merged.set(String(id).replace(/^[Pp]/, ''), v);
    const level = levelOf(source, options.level);
    const { entries, errors, skipped } = validateBatch(this.catalogue, [...merged.entries()], source, level, options.skipUnknown === true, this.guard);
    if (errors.length > 0) return { ok: false, errors, changes: [], rebootRequired: false, skipped };
    const changes = this.commit(entries, source, true);
    return { ok: true, errors: [], changes, rebootRequired: this.needsReboot(changes), skipped };
  }

  discardStaged(): void {
    this.assertOpen();
    this.stmts.stagedClear.run();
  }

  // ---- factory reset ----

  /**
   * Resets to defaults by type (user guide "Reset from Web Interface"): full = everything,
   * isp = network/web access basics, voip = service-provider data. Refused when P88 locks it
   * (P88 = 1 locks every reset; 2, as in HT813 1.0.19.6, allows only the ISP-data reset).
   */
  factoryReset(type: ResetType): Change[] {
    this.assertOpen();
    const refusal = this.resetRefusal(type);
    if (refusal) throw new ParamError('locked', refusal);
    const defs = type === 'full' ? this.catalogue.entries : this.catalogue.inGroup(type);
    const entries: ValidEntry[] = defs.filter((d) => !d.readOnly).map((def) => ({ def, value: def.default }));
    const changes = this.commit(entries, 'factory', type === 'full');
    if (type === 'full') this.db.exec('DELETE FROM service_state');
    return changes;
  }

  /** Why P88 forbids a reset of this type, or undefined when it is allowed. */
  resetRefusal(type: ResetType): string | undefined {
    const lock = this.get(88);
    if (lock === '1' || (lock === '2' && type !== 'isp')) {
      return `factory reset (${type}) refused: locked by P88 (Lock keypad update = ${lock})`;
    }
    return undefined;
  }

  // ---- audit ----

  /** The latest committed changes, newest first; secrets appear masked. */
  audit(limit = 100): AuditRecord[] {
    this.assertOpen();
    return this.stmts.auditTail.all(limit) as AuditRecord[];
  }

  // ---- notifications ----

  /** Listeners run synchronously after the commit; one that throws is logged and the others still run. */
  /** Adds a check to every later apply/stage (e.g. TR-069 AccessList); returns its removal. */
  addWriteGuard(guard: WriteGuard): () => void {
    this.guards.add(guard);
    return () => this.guards.delete(guard);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ChangeEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (e) {
        this.opts.log.error({ subsystem: 'params', err: e instanceof Error ? e.message : String(e) }, 'change listener failed');
      }
    }
  }

  // ---- service state ----

  /**
   * Small persisted key/value space for a service's own state that is not a setting (CWMP event
   * queue, notification attributes, firmware slots). Same database, so it shares its durability.
   */
  serviceState(namespace: string): ServiceState {
    this.assertOpen();
    return new ServiceState(this.db, namespace);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.db.close();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new ParamError('closed', 'the parameter store is closed');
  }
}

function levelOf(source: Source, level: AccessLevel | undefined): AccessLevel {
  if (level) return level;
  if (source === 'web') return 'viewer'; // the web UI must say which level its session has
  return 'admin';
}

function openDb(file: string, durability: 'full' | 'normal'): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${String(check)}`);
    createSchema(db);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION) throw new Error(`unknown schema version ${version}`);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
