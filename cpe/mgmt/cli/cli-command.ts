/**
 * The management console's command language (our design, in the spirit of the HT8xx SSH console;
 * cpe/mgmt/README.md): one command a line, words separated by blanks, a value with blanks quoted
 * (`set P3="Front Desk"`). Pure: a line in, a command or a usage error out.
 *
 *   help                      the commands this level may use
 *   status                    model, MAC, firmware, uptime, registrations, FXS hook, FXO line
 *   get P47 [P48 ...]         values (secrets masked)
 *   set P3=Name [P4=...]      one atomic batch through the store (source cli)
 *   reboot                    reboot the unit
 *   reset full|isp|voip       factory reset by type (refused when P88 locks it)
 *   exit | quit | logout      end the session
 */
import { parsePNumber } from '../../params/catalogue';
import type { ResetType } from '../../params/types';

export type CliCommand =
  | { readonly kind: 'empty' }
  | { readonly kind: 'help' }
  | { readonly kind: 'status' }
  | { readonly kind: 'get'; readonly ids: readonly number[] }
  | { readonly kind: 'set'; readonly batch: ReadonlyArray<readonly [string, string]> }
  | { readonly kind: 'reboot' }
  | { readonly kind: 'reset'; readonly type: ResetType }
  | { readonly kind: 'exit' };

export type CliCommandKind = CliCommand['kind'];

export type ParsedLine = { readonly ok: true; readonly command: CliCommand } | { readonly ok: false; readonly error: string };

/** Longest line the console reads; longer input is refused (line-editor.ts). */
export const MAX_LINE = 4096;
/** Most P-values one get or set may name. */
export const MAX_ITEMS = 64;

const WORDS: Readonly<Record<string, CliCommandKind>> = {
  help: 'help',
  '?': 'help',
  status: 'status',
  get: 'get',
  set: 'set',
  reboot: 'reboot',
  reset: 'reset',
  exit: 'exit',
  quit: 'exit',
  logout: 'exit',
};

/**
 * Splits a line into words: blanks separate; "double" quotes allow blanks and \" \\ escapes;
 * 'single' quotes take everything literally. Quotes may sit inside a word (P3="A B").
 */
export function tokenize(line: string): { readonly ok: true; readonly words: string[] } | { readonly ok: false; readonly error: string } {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i]!;
      else cur += c;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `unterminated ${quote === '"' ? 'double' : 'single'} quote` };
  if (inWord) words.push(cur);
  return { ok: true, words };
}

export function parseCliLine(line: string): ParsedLine {
  const t = tokenize(line);
  if (!t.ok) return t;
  const [first, ...args] = t.words;
  if (first === undefined) return ok({ kind: 'empty' });
  const kind = WORDS[first.toLowerCase()];
  if (!kind) return fail(`unknown command "${printable(first)}" (type help)`);
  switch (kind) {
    case 'get':
      return parseGet(args);
    case 'set':
      return parseSet(args);
    case 'reset': {
      const type = args[0]?.toLowerCase();
      if (args.length !== 1 || (type !== 'full' && type !== 'isp' && type !== 'voip')) return fail('usage: reset full|isp|voip');
      return ok({ kind: 'reset', type });
    }
    case 'empty':
    case 'help':
    case 'status':
    case 'reboot':
    case 'exit':
      if (args.length > 0) return fail(`usage: ${kind === 'exit' ? first.toLowerCase() : kind} (no arguments)`);
      return ok({ kind } as CliCommand);
  }
}

function parseGet(args: readonly string[]): ParsedLine {
  if (args.length === 0) return fail('usage: get Pnnn [Pnnn ...]');
  if (args.length > MAX_ITEMS) return fail(`get: at most ${MAX_ITEMS} P-values at once`);
  const ids: number[] = [];
  for (const a of args) {
    const id = parsePNumber(a);
    if (id === undefined) return fail(`get: not a P-value: "${printable(a)}"`);
    ids.push(id);
  }
  return ok({ kind: 'get', ids });
}

function parseSet(args: readonly string[]): ParsedLine {
  if (args.length === 0) return fail('usage: set Pnnn=value [Pnnn=value ...]');
  if (args.length > MAX_ITEMS) return fail(`set: at most ${MAX_ITEMS} P-values at once`);
  const batch: Array<[string, string]> = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    const key = eq > 0 ? a.slice(0, eq) : a;
    if (eq <= 0) return fail(`set: expected Pnnn=value, got "${printable(a)}"`);
    const id = parsePNumber(key);
    if (id === undefined) return fail(`set: not a P-value: "${printable(key)}"`);
    batch.push([`P${id}`, a.slice(eq + 1)]);
  }
  return ok({ kind: 'set', batch });
}

/** Echoes user text in messages without control characters, and short. */
function printable(s: string): string {
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

function ok(command: CliCommand): ParsedLine {
  return { ok: true, command };
}

function fail(error: string): ParsedLine {
  return { ok: false, error };
}
