import { HtError, UsageError } from '../shared/errors';
import { checkOptions, parseArgs } from './args';
import type { CliIo, Command } from './command';
import { COMMANDS } from './commands';

/** Finds the command named by the longest run of leading words ('params get' before 'params'). */
export function findCommand(argv: readonly string[]): { command: Command; words: string; rest: string[] } | undefined {
  for (let n = Math.min(3, argv.length); n >= 1; n--) {
    const words = argv.slice(0, n).join(' ');
    const command = COMMANDS.get(words);
    if (command) return { command, words, rest: argv.slice(n) };
  }
  return undefined;
}

export function usage(): string {
  const lines = ['usage: ht813 <command> [options]   (every command takes --data DIR, default ./data)', ''];
  for (const [, c] of COMMANDS) lines.push(`  ht813 ${c.usage.padEnd(52)} ${c.summary}`);
  return lines.join('\n') + '\n';
}

/** Runs one command line; returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    io.stdout.write(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr.write(`ht813: unknown command: ${argv.slice(0, 2).join(' ')}\n\n${usage()}`);
    return 2;
  }
  try {
    const args = parseArgs(found.rest, found.command.booleans ?? []);
    checkOptions(args, ['data', ...(found.command.options ?? []), ...(found.command.booleans ?? [])]);
    return await found.command.run(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`ht813 ${found.words}: ${e.message}\nusage: ht813 ${found.command.usage}\n`);
      return 2;
    }
    const msg = e instanceof HtError ? `${e.message} [${e.code}]` : e instanceof Error ? e.message : String(e);
    io.stderr.write(`ht813 ${found.words}: ${msg}\n`);
    return 1;
  }
}

