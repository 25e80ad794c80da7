import fs from 'node:fs';
import path from 'node:path';
import { Fleet } from '../../fleet';
import { formatMac } from '../../identity';
import { UsageError } from '../../shared/errors';
import { createUnitLogger } from '../../shared/logger';
import { option, type Command } from '../command';
import { intOption } from '../args';

export const fleetCommand: Command = {
  usage: 'fleet --count N [--data ROOT] [--mac-base MAC] [--address-base A] [--web-port N] [--https-port N]',
  summary: 'run N units in this process, each on its own loopback address and folder',
  options: ['count', 'mac-base', 'address-base', 'web-port', 'https-port', 'durability'],
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const count = intOption(args, 'count', 1, 100_000);
    if (count === undefined) throw new UsageError('--count is required');
    const root = path.resolve(io.cwd, option(args, 'data') ?? 'fleet');
    const durability = option(args, 'durability') ?? 'normal';
    if (durability !== 'full' && durability !== 'normal') throw new UsageError('--durability must be full or normal');
    const log = createUnitLogger('fleet');
    const fleet = new Fleet({
      root,
      count,
      macBase: option(args, 'mac-base') ?? '000b82100000',
      addressBase: option(args, 'address-base') ?? '127.1.0.1',
      unit: {
        ports: { web: intOption(args, 'web-port', 1, 65535) ?? 8080, https: intOption(args, 'https-port', 1, 65535) ?? 8443 },
        durability,
        log,
      },
    });
    // Handlers first: a signal during boot stops the fleet once it is up.
    let signalled: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (signalled = resolve));
    const onSignal = (): void => signalled();
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    try {
      const t0 = Date.now();
      await fleet.boot();
      const list = fleet.units.map((d) => `${formatMac(d.identity.mac)},${d.network.address},${d.dataDir}`).join('\n');
      fs.writeFileSync(path.join(root, 'units.csv'), `mac,address,data\n${list}\n`);
      io.stdout.write(`fleet of ${count} units up in ${Date.now() - t0} ms; list in ${path.join(root, 'units.csv')}\n`);
      await stopped;
      await fleet.shutdown();
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
    return 0;
  },
};
