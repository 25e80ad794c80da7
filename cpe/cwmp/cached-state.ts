/**
 * A read-through cache over a service-state namespace. Only this service writes its namespace,
 * so the cache stays exact; writes go to SQLite at once (persisted before anything depends on them).
 */
import type { KeyValueState } from './events';

export class CachedState implements KeyValueState {
  private readonly cache = new Map<string, string | undefined>();

  constructor(private readonly inner: KeyValueState) {}

  get(key: string): string | undefined {
    if (this.cache.has(key)) return this.cache.get(key);
    const v = this.inner.get(key);
    this.cache.set(key, v);
    return v;
  }

  set(key: string, value: string): void {
    if (this.cache.get(key) === value) return;
    this.inner.set(key, value);
    this.cache.set(key, value);
  }

  delete(key: string): void {
    if (this.cache.has(key) && this.cache.get(key) === undefined) return;
    this.inner.delete(key);
    this.cache.set(key, undefined);
  }
}
