/**
 * Runs one console command at a login level over the CliPorts; pure (no I/O, no clock). Levels as
 * in the web UI (user guide "Web UI Access Level Management"):
 *   admin   everything;
 *   user    help, status, exit, and get/set of the parameters its level may change (catalogue
 *           `level: 'user'`, the Basic Settings page);
 *   viewer  help, status, exit and get: read-only.
 * Secrets always show as the store's mask. A refused set changes nothing (the store's batch).
 */
import { levelMayWrite } from '../../params/batch';
import { MASK } from '../../params/store';
import { parseCliLine, type CliCommand, type CliCommandKind } from './cli-command';
import type { CliPorts, CliResult, CliStatus, ConsoleLevel } from './cli-ports';

/** Which levels may run each command. */
export const COMMAND_LEVELS: Readonly<Record<CliCommandKind, readonly ConsoleLevel[]>> = {
  empty: ['admin', 'user', 'viewer'],
  help: ['admin', 'user', 'viewer'],
  status: ['admin', 'user', 'viewer'],
  get: ['admin', 'user', 'viewer'],
  set: ['admin', 'user'],
  reboot: ['admin'],
  reset: ['admin'],
  exit: ['admin', 'user', 'viewer'],
};

const HELP: ReadonlyArray<readonly [CliCommandKind, string, string]> = [
  ['help', 'help', 'this list'],
  ['status', 'status', 'model, MAC, firmware, uptime, registrations, FXS hook, FXO line'],
  ['get', 'get Pnnn [Pnnn ...]', 'show values (passwords masked)'],
  ['set', 'set Pnnn=value [...]', 'change values in one batch (quote values with blanks: P3="A B")'],
  ['reboot', 'reboot', 'reboot the unit'],
  ['reset', 'reset full|isp|voip', 'factory reset by type, then reboot (P88 may lock it)'],
  ['exit', 'exit', 'end the session (also quit, logout)'],
];

/** Parses and runs one line. */
export function runCliLine(line: string, level: ConsoleLevel, ports: CliPorts): CliResult {
  const parsed = parseCliLine(line);
  if (!parsed.ok) return { output: `${parsed.error}\n`, exitCode: 2 };
  return executeCli(parsed.command, level, ports);
}

export function executeCli(cmd: CliCommand, level: ConsoleLevel, ports: CliPorts): CliResult {
  if (!COMMAND_LEVELS[cmd.kind].includes(level)) {
    return { output: `${cmd.kind}: not allowed at the ${level} level\n`, exitCode: 1 };
  }
  switch (cmd.kind) {
    case 'empty':
      return { output: '', exitCode: 0 };
    case 'help':
      return { output: helpText(level), exitCode: 0 };
    case 'status':
      return { output: statusText(ports.status()), exitCode: 0 };
    case 'get':
      return get(cmd.ids, level, ports);
    case 'set':
      return set(cmd.batch, level, ports);
    case 'reboot':
      return { output: 'Rebooting...\n', exitCode: 0, action: { kind: 'reboot' } };
    case 'reset': {
      const refusal = ports.params.resetRefusal(cmd.type);
      if (refusal) return { output: `${refusal}\n`, exitCode: 1 };
      return { output: `Factory reset (${cmd.type}): the unit resets and reboots...\n`, exitCode: 0, action: { kind: 'reset', type: cmd.type } };
    }
    case 'exit':
      return { output: '', exitCode: 0, action: { kind: 'exit' } };
  }
}

export function helpText(level: ConsoleLevel): string {
  const rows = HELP.filter(([kind]) => COMMAND_LEVELS[kind].includes(level));
  const note = level === 'user' ? '\nget and set reach the Basic Settings parameters only.\n' : level === 'viewer' ? '\nThe viewer level is read-only.\n' : '';
  return `Commands (${level} level):\n${rows.map(([, usage, what]) => `  ${usage.padEnd(24)} ${what}\n`).join('')}${note}`;
}

/** All or nothing: an unknown or out-of-level number prints why, and no value. */
function get(ids: readonly number[], level: ConsoleLevel, ports: CliPorts): CliResult {
  const problems: string[] = [];
  for (const id of ids) {
    const def = ports.params.def(id);
    if (!def) problems.push(`P${id}: no such parameter`);
    else if (level === 'user' && !levelMayWrite(level, def)) problems.push(`P${id}: the user level may not read ${def.name}`);
  }
  if (problems.length > 0) return { output: problems.map((p) => `${p}\n`).join(''), exitCode: 1 };
  const out = ids.map((id) => {
    const v = ports.params.value(id);
    return `P${id}=${ports.params.def(id)?.secret && v !== '' ? MASK : v}\n`;
  });
  return { output: out.join(''), exitCode: 0 };
}

function set(batch: ReadonlyArray<readonly [string, string]>, level: ConsoleLevel, ports: CliPorts): CliResult {
  const r = ports.params.apply(batch, level);
  if (!r.ok) {
    return { output: `batch rejected, nothing changed\n${r.errors.map((e) => `  ${e.message}\n`).join('')}`, exitCode: 1 };
  }
  const n = r.changes.length;
  const reboot = r.rebootRequired ? ' (takes effect after a reboot)' : '';
  return { output: n === 0 ? 'nothing changed\n' : `${n} changed${reboot}\n`, exitCode: 0 };
}

export function statusText(s: CliStatus): string {
  const rows: Array<[string, string]> = [
    ['Model', s.model],
    ['MAC', s.mac],
    ['Firmware', s.firmware],
    ['Uptime', s.uptime],
    ...s.accounts.map((a): [string, string] => [`Account ${a.account} (${a.port})`, a.registration]),
    ['FXS hook', s.fxsHook],
    ['FXO line', s.fxoLine],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(19)} ${v}\n`).join('');
}
