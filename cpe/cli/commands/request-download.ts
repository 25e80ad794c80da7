import { UsageError } from '../../shared/errors';
import type { Command } from '../command';
import { runRequest } from '../control-client';
import { dataDir, reportFailure } from './common';

/** `ht813 request-download "1 Firmware Upgrade Image" [Name=Value ...]`: TR-069 A.4.2.2 from a running unit. */
export const requestDownloadCommand: Command = {
  usage: 'request-download "<FileType>" [Name=Value ...]',
  summary: 'ask the ACS (TR-069 RequestDownload) to send the running unit a file of this type',
  async run(args, io) {
    const [fileType, ...rest] = args.positionals;
    if (!fileType) throw new UsageError('say which file type, e.g. "1 Firmware Upgrade Image" or "3 Vendor Configuration File"');
    const fileArgs = rest.map((a) => {
      const eq = a.indexOf('=');
      if (eq <= 0) throw new UsageError(`"${a}" is not Name=Value`);
      return { name: a.slice(0, eq), value: a.slice(eq + 1) };
    });
    const resp = await runRequest(dataDir(args, io), { op: 'request-download', fileType, args: fileArgs });
    if (!resp.ok) return reportFailure(resp, io);
    io.stdout.write(`${resp.message ?? 'queued'}\n`);
    return 0;
  },
};
