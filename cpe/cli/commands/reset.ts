import { UsageError } from '../../shared/errors';
import type { Command } from '../command';
import { runRequest } from '../control-client';
import { dataDir, reportFailure } from './common';

export const resetCommand: Command = {
  usage: 'reset full|isp|voip',
  summary: 'factory reset by type (refused when P88 locks it); a running unit reboots',
  async run(args, io) {
    const type = args.positionals[0];
    if (args.positionals.length !== 1 || (type !== 'full' && type !== 'isp' && type !== 'voip')) {
      throw new UsageError('say which reset: full, isp or voip');
    }
    const resp = await runRequest(dataDir(args, io), { op: 'reset', type });
    if (!resp.ok) return reportFailure(resp, io);
    io.stdout.write(`${resp.message ?? `reset ${type} done`}\n`);
    return 0;
  },
};
