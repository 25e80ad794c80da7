import { UsageError } from '../shared/errors';
import type { ParsedArgs } from './command';

/**
 * `--name value`, `--name=value`, and boolean `--flag` (those listed in `booleans`). Options may
 * repeat (`--dhcp-option 66=a --dhcp-option 160=b`). `--` ends options.
 */
export function parseArgs(argv: readonly string[], booleans: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const add = (k: string, v: string): void => {
    const list = options.get(k) ?? [];
    list.push(v);
    options.set(k, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '--') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UsageError(`bad option ${a}`);
    if (eq > 0) add(name, a.slice(eq + 1));
    else if (booleans.includes(name)) add(name, 'true');
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`option --${name} needs a value`);
      add(name, v);
      i++;
    }
  }
  return { positionals, options };
}

/** Rejects options a command does not know, naming them. */
export function checkOptions(args: ParsedArgs, known: readonly string[]): void {
  const bad = [...args.options.keys()].filter((k) => !known.includes(k));
  if (bad.length > 0) throw new UsageError(`unknown option${bad.length > 1 ? 's' : ''}: ${bad.map((b) => `--${b}`).join(', ')}`);
}

export function intOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const list = args.options.get(name);
  if (!list) return undefined;
  const v = list[list.length - 1]!;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return Number(v);
}
