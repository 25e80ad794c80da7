/**
 * Every `ht813` command, by its words. Subsystems add their entries here (one import, one line).
 */
import type { Command } from './command';
import { startCommand } from './commands/start';
import { paramsGetCommand, paramsSetCommand, paramsExportCommand } from './commands/params';
import { auditCommand } from './commands/audit';
import { resetCommand } from './commands/reset';
import { fleetCommand } from './commands/fleet';
import { requestDownloadCommand } from './commands/request-download';
import { cfgDecodeCommand, cfgEncodeCommand, cfgExportCommand } from '../provision/cli/cfg-commands';
import { firmwareMakeCommand } from '../provision/cli/firmware-command';
import { audioToneCommand, audioDtmfCommand, audioCallerIdCommand } from '../media/audio-commands';
import { phoneCommand } from '../hw/cli/phone-command';

export const COMMANDS: ReadonlyMap<string, Command> = new Map<string, Command>([
  ['start', startCommand],
  ['params get', paramsGetCommand],
  ['params set', paramsSetCommand],
  ['params export', paramsExportCommand],
  ['audit', auditCommand],
  ['reset', resetCommand],
  ['fleet', fleetCommand],
  ['request-download', requestDownloadCommand],
  ['cfg encode', cfgEncodeCommand],
  ['cfg decode', cfgDecodeCommand],
  ['cfg export', cfgExportCommand],
  ['firmware make', firmwareMakeCommand],
  ['audio tone', audioToneCommand],
  ['audio dtmf', audioDtmfCommand],
  ['audio callerid', audioCallerIdCommand],
  ['phone', phoneCommand],
]);
