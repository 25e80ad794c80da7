/**
 * `ht813 phone`: boots the unit in this process with a simulated analog phone on its FXS jack and
 * a simulated PSTN line on its FXO jack, then reads commands (PhoneConsole) from standard input.
 */
import readline from 'node:readline';
import { Device } from '../../device';
import { defaultServices } from '../../services';
import { UsageError } from '../../shared/errors';
import { silentLogger } from '../../shared/logger';
import { SystemClock } from '../../shared/clock';
import { option, type Command } from '../../cli/command';
import { intOption } from '../../cli/args';
import { dataDir } from '../../cli/commands/common';
import { sendToRunningUnit } from '../../cli/control-client';
import type { HwService } from '../service';
import { PHONE_HELP, PhoneConsole } from './phone-console';

export const phoneCommand: Command = {
  usage: 'phone [--mac MAC] [--bind ADDR] [--web-port N] [--port-offset N]',
  summary: 'run the unit with a simulated phone and PSTN line, and use the phone from the keyboard',
  options: ['mac', 'bind', 'web-port', 'port-offset', 'log-level'],
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const dir = dataDir(args, io);
    if (await sendToRunningUnit(dir, { op: 'audit', limit: 1 }, 2000).catch(() => undefined)) {
      io.stderr.write(`a unit is already running on ${dir}: stop it first (ht813 phone runs the unit itself)\n`);
      return 1;
    }
    const web = intOption(args, 'web-port', 1, 65535);
    const clock = new SystemClock();
    const device = new Device({
      dataDir: dir,
      mac: option(args, 'mac'),
      clock,
      network: { address: option(args, 'bind') ?? '127.0.0.1', dhcpOptions: new Map() },
      ports: { ...(web !== undefined ? { web } : {}), offset: intOption(args, 'port-offset', 0, 60000) },
      // The web UI only when asked for (its default port may need root).
      services: defaultServices().filter((s) => s.name !== 'web' || web !== undefined),
      ...(option(args, 'log-level') ? {} : { log: silentLogger }),
    });
    await device.boot();
    const hw = device.service<HwService>('hw');
    if (!hw) {
      await device.shutdown();
      io.stderr.write('the line hardware service is not running\n');
      return 1;
    }
    const out = (line: string): void => void io.stdout.write(line + '\n');
    const console = new PhoneConsole(hw, clock, out);
    out(`unit ${device.identity.mac} up; a phone is on the FXS jack, a PSTN line on the FXO jack. "help" lists commands.`);
    for (const l of PHONE_HELP) out('  ' + l);
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    try {
      for await (const line of rl) {
        if (!(await console.handle(line))) break;
      }
    } finally {
      rl.close();
      console.close();
      await device.shutdown();
    }
    return 0;
  },
};
