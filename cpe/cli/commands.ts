/**
 * Every `ht813` command, by its words. Subsystems add their entries here (one import, one line).
 */
import type { Command } from './command';
import { startCommand } from './commands/start';
import { paramsGetCommand, paramsSetCommand, paramsExportCommand } from './commands/params';
import { auditCommand } from './commands/audit';
import { resetCommand } from './commands/reset';
import { fleetCommand } from './commands/fleet';

export const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['start', startCommand],
  ['params get', paramsGetCommand],
  ['params set', paramsSetCommand],
  ['params export', paramsExportCommand],
  ['audit', auditCommand],
  ['reset', resetCommand],
  ['fleet', fleetCommand],
]);
