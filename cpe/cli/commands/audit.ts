import { UsageError } from '../../shared/errors';
import type { Command } from '../command';
import { intOption } from '../args';
import { runRequest } from '../control-client';
import { dataDir, reportFailure } from './common';

export const auditCommand: Command = {
  usage: 'audit [--limit N]',
  summary: 'print the latest committed changes, oldest first (secrets masked)',
  options: ['limit'],
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const limit = intOption(args, 'limit', 1, 1_000_000) ?? 100;
    const resp = await runRequest(dataDir(args, io), { op: 'audit', limit });
    if (!resp.ok) return reportFailure(resp, io);
    for (const r of [...(resp.audit ?? [])].reverse()) {
      io.stdout.write(`${new Date(r.time).toISOString()} ${r.source.padEnd(9)} P${r.id}: ${JSON.stringify(r.old)} -> ${JSON.stringify(r.new)}\n`);
    }
    return 0;
  },
};
