import { UsageError } from '../../shared/errors';
import { parsePNumber } from '../../params/catalogue';
import { flag, type Command } from '../command';
import { runRequest } from '../control-client';
import { dataDir, reportFailure } from './common';

export const paramsGetCommand: Command = {
  usage: 'params get P47 [P48 ...] [--with-secrets]',
  summary: 'print Pn=value lines (secrets masked unless --with-secrets)',
  booleans: ['with-secrets'],
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('name at least one P-value');
    const ids = args.positionals.map((p) => {
      const id = parsePNumber(p);
      if (id === undefined) throw new UsageError(`not a P-value: ${JSON.stringify(p)}`);
      return id;
    });
    const resp = await runRequest(dataDir(args, io), { op: 'get', ids, withSecrets: flag(args, 'with-secrets') });
    if (!resp.ok) return reportFailure(resp, io);
    for (const [id, v] of resp.values ?? []) io.stdout.write(`P${id}=${v}\n`);
    return 0;
  },
};

export const paramsSetCommand: Command = {
  usage: 'params set P47=sip.example.com [P48=...]',
  summary: 'change P-values in one atomic batch (source cli)',
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('give at least one Pn=value');
    const batch: Array<[string, string]> = args.positionals.map((a) => {
      const eq = a.indexOf('=');
      if (eq <= 0) throw new UsageError(`expected Pn=value, got ${JSON.stringify(a)}`);
      const key = a.slice(0, eq);
      if (parsePNumber(key) === undefined) throw new UsageError(`not a P-value: ${JSON.stringify(key)}`);
      return [key, a.slice(eq + 1)];
    });
    const resp = await runRequest(dataDir(args, io), { op: 'set', batch });
    if (!resp.ok) return reportFailure(resp, io);
    io.stdout.write(`${resp.changed ?? 0} changed${resp.rebootRequired ? ' (takes effect after a reboot)' : ''}\n`);
    return 0;
  },
};

export const paramsExportCommand: Command = {
  usage: 'params export [--with-secrets]',
  summary: 'print every P-value as Pn=value (secrets masked unless --with-secrets)',
  booleans: ['with-secrets'],
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const resp = await runRequest(dataDir(args, io), { op: 'export', withSecrets: flag(args, 'with-secrets') });
    if (!resp.ok) return reportFailure(resp, io);
    io.stdout.write((resp.values ?? []).map(([id, v]) => `P${id}=${v}\n`).join(''));
    return 0;
  },
};
