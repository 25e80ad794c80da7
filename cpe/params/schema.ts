import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 1;

/**
 * params: values that differ from the catalogue default (a missing row = default);
 * staged: Update-without-Apply; audit: every committed change; service_state: services' own state.
 */
export function createSchema(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version !== 0) return; // left for the caller's version check
  db.exec(`
    CREATE TABLE IF NOT EXISTS params (id INTEGER PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS staged (id INTEGER PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS audit (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      time INTEGER NOT NULL, source TEXT NOT NULL, id INTEGER NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS service_state (
      ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (ns, key)) WITHOUT ROWID;
    PRAGMA user_version = ${SCHEMA_VERSION};
  `);
}
