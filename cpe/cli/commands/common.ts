import path from 'node:path';
import { option, type CliIo, type ParsedArgs } from '../command';
import type { ControlResponse } from '../control-protocol';

/** The unit's folder: --data DIR, default ./data (relative to where the command runs). */
export function dataDir(args: ParsedArgs, io: CliIo): string {
  return path.resolve(io.cwd, option(args, 'data') ?? 'data');
}

/** Prints a rejected response's errors; returns the exit code. */
export function reportFailure(resp: ControlResponse, io: CliIo): number {
  if (resp.ok) return 0;
  io.stderr.write(`${resp.error}\n`);
  for (const e of resp.errors ?? []) io.stderr.write(`  ${e.message}\n`);
  return 1;
}
