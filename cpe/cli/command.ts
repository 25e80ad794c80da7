import type { Writable } from 'node:stream';

/** Parsed command line: positionals plus `--flag value` / `--flag` options (repeatable ones as arrays). */
export interface ParsedArgs {
  readonly positionals: string[];
  readonly options: Map<string, string[]>;
}

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly cwd: string;
}

export interface Command {
  /** e.g. 'params get P47 [P48 ...]' */
  readonly usage: string;
  readonly summary: string;
  /** Options that take no value. */
  readonly booleans?: readonly string[];
  /** Every option the command accepts (others are a usage error); `data` is always accepted. */
  readonly options?: readonly string[];
  /** Exit code: 0 ok, 1 rejected/failed, 2 usage error. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export function option(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return v === undefined ? undefined : v[v.length - 1];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.has(name);
}
