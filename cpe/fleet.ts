/**
 * Many units in one process (ARCHITECTURE.md "Conventions": a fleet runs many Device instances,
 * each on its own loopback address and its own data folder). Unit i gets the i-th MAC after the
 * base MAC, the i-th address after the base address, and `${root}/<mac>/` as its folder.
 */
import path from 'node:path';
import { Device, type DeviceOptions } from './device';
import { normaliseMac } from './identity';
import { UsageError } from './shared/errors';

export interface FleetOptions {
  readonly root: string;
  readonly count: number;
  readonly macBase: string;
  /** First unit's address; the others follow (127.1.0.1, 127.1.0.2, ...). */
  readonly addressBase: string;
  /** Everything else a unit takes (clock, log, services, ports...). */
  readonly unit?: Omit<DeviceOptions, 'dataDir' | 'mac' | 'network'>;
  /** How many units boot at once. */
  readonly concurrency?: number;
}

export function nthMac(base: string, i: number): string {
  const b = normaliseMac(base);
  const nic = parseInt(b.slice(6), 16) + i;
  if (nic > 0xffffff) throw new UsageError(`MAC range overflows past ${b.slice(0, 6)}ffffff`);
  return b.slice(0, 6) + nic.toString(16).padStart(6, '0');
}

export function nthAddress(base: string, i: number): string {
  const parts = base.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new UsageError(`not an IPv4 address: ${base}`);
  const n = ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]! + i;
  const out = [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  if (out[0] !== parts[0]) throw new UsageError(`address range overflows past ${base}`);
  return out.join('.');
}

export class Fleet {
  readonly units: Device[] = [];

  constructor(private readonly opts: FleetOptions) {
    for (let i = 0; i < opts.count; i++) {
      const mac = nthMac(opts.macBase, i);
      this.units.push(
        new Device({
          ...opts.unit,
          dataDir: path.join(opts.root, mac),
          mac,
          network: { address: nthAddress(opts.addressBase, i) },
        }),
      );
    }
  }

  /** Boots every unit, `concurrency` at a time. */
  async boot(): Promise<void> {
    await this.each((d) => d.boot());
  }

  async shutdown(): Promise<void> {
    await this.each((d) => d.shutdown());
  }

  private async each(fn: (d: Device) => Promise<void>): Promise<void> {
    const queue = [...this.units];
    const workers = Array.from({ length: Math.min(this.opts.concurrency ?? 16, queue.length) }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) await fn(d);
    });
    await Promise.all(workers);
  }
}
