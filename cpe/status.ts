/**
 * Live status shared across services: each service provides getters for its keys; pages and the
 * TR-069 data model read them. Keys and their value types are declared by merging into StatusMap
 * from the service's own file:
 *
 *   declare module '../status' { interface StatusMap { 'sip.accounts': AccountStatus[] } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface StatusMap {
  'device.uptime': number;
  'device.bootCount': number;
  /** off | booting | up | stopping (the Power LED blinks while booting). */
  'device.state': string;
}

export class StatusBoard {
  private readonly getters = new Map<string, () => unknown>();

  provide<K extends keyof StatusMap>(key: K, get: () => StatusMap[K]): void {
    this.getters.set(key as string, get);
  }

  /** undefined when no service provides the key (it has not landed, or is stopped). */
  get<K extends keyof StatusMap>(key: K): StatusMap[K] | undefined {
    const g = this.getters.get(key as string);
    return g ? (g() as StatusMap[K]) : undefined;
  }

  withdraw(key: keyof StatusMap): void {
    this.getters.delete(key as string);
  }

  clear(): void {
    this.getters.clear();
  }
}
