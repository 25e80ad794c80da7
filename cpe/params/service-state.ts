import type Database from 'better-sqlite3';

/** A namespace of persisted strings for one service (see ParamStore.serviceState). */
export class ServiceState {
  private readonly getStmt: Database.Statement;
  private readonly putStmt: Database.Statement;
  private readonly delStmt: Database.Statement;
  private readonly allStmt: Database.Statement;

  constructor(private readonly db: Database.Database, readonly namespace: string) {
    this.getStmt = db.prepare('SELECT value FROM service_state WHERE ns = ? AND key = ?');
    this.putStmt = db.prepare(
      'INSERT INTO service_state (ns, key, value) VALUES (?, ?, ?) ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value',
    );
    this.delStmt = db.prepare('DELETE FROM service_state WHERE ns = ? AND key = ?');
    this.allStmt = db.prepare('SELECT key, value FROM service_state WHERE ns = ? ORDER BY key');
  }

  get(key: string): string | undefined {
    const row = this.getStmt.get(this.namespace, key) as { value: string } | undefined;
    return row?.value;
  }

  set(key: string, value: string): void {
    this.putStmt.run(this.namespace, key, value);
  }

  delete(key: string): void {
    this.delStmt.run(this.namespace, key);
  }

  entries(): Array<[string, string]> {
    return (this.allStmt.all(this.namespace) as { key: string; value: string }[]).map((r) => [r.key, r.value]);
  }

  getJson<T>(key: string): T | undefined {
    const v = this.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }

  /** Several writes in one transaction. */
  transaction(fn: () => void): void {
    this.db.transaction(fn)();
  }
}
