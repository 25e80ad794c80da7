import { Device } from '../../device';
import { formatMac } from '../../identity';
import { ParamStore } from '../../params/store';
import { SystemClock } from '../../shared/clock';
import { UsageError } from '../../shared/errors';
import { silentLogger } from '../../shared/logger';
import { option, type CliIo, type Command, type ParsedArgs } from '../command';
import { intOption } from '../args';
import { ControlServer } from '../control-server';
import { dataDir } from './common';
import { parsePnpTarget } from '../../provision/pnp/pnp-messages';

export const startCommand: Command = {
  usage: 'start [--mac MAC] [--web-port N] [--https-port N] [--bind ADDR] [--dhcp-option N=V ...] [--port-offset N] [--pnp-target ADDR:PORT]',
  summary: 'boot the unit and run until SIGTERM/SIGINT',
  options: ['mac', 'web-port', 'https-port', 'bind', 'dhcp-option', 'port-offset', 'log-level', 'pnp-target'],
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const dir = dataDir(args, io);
    const bind = option(args, 'bind') ?? '127.0.0.1';
    if (!/^[0-9.]+$|^[0-9a-fA-F:]+$/.test(bind)) throw new UsageError(`--bind must be an IP address, got ${bind}`);
    const ports = webPorts(args, dir);
    // P1414's SUBSCRIBE goes to the SIP multicast group unless told (a PBX on loopback, a test)
    const pnpTarget = option(args, 'pnp-target');
    if (pnpTarget !== undefined) {
      try {
        parsePnpTarget(pnpTarget);
      } catch (e) {
        throw new UsageError(`--pnp-target: ${(e as Error).message}`);
      }
    }
    const device = new Device({
      dataDir: dir,
      mac: option(args, 'mac'),
      network: { address: bind, dhcpOptions: dhcpOptions(args), ...(pnpTarget !== undefined ? { pnpTarget } : {}) },
      ports: { web: ports.web, https: ports.https, offset: intOption(args, 'port-offset', 0, 60000) },
    });
    // Signal handlers go in before anything else: a SIGTERM during boot stops the unit once it is up.
    let signalled: (sig: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (signalled = resolve));
    const onTerm = (): void => signalled('SIGTERM');
    const onInt = (): void => signalled('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    const control = new ControlServer(device, silentLogger);
    try {
      await control.listen();
      try {
        await device.boot();
      } catch (e) {
        await control.close();
        throw e;
      }
      io.stdout.write(startupLine(device, ports, bind) + '\n');
      const sig = await stopped;
      io.stderr.write(`${sig}: shutting down\n`);
      await device.shutdown().finally(() => control.close());
    } finally {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
    }
    return 0;
  },
};

interface WebPorts {
  web: number | undefined;
  https: number | undefined;
  /** HTTP (P1650 = 1) or HTTPS (0). */
  scheme: 'http' | 'https';
  /** The port the page is on, and why, for the startup line. */
  shown: number;
  shifted: boolean;
}

/**
 * The ports the web UI binds: --web-port/--https-port win; otherwise P901/P27010, except that a
 * non-root run cannot bind below 1024, so 80/443 become 8080/8443 (said on the startup line).
 */
function webPorts(args: ParsedArgs, dir: string): WebPorts {
  const store = ParamStore.open(dir, { clock: new SystemClock(), log: silentLogger });
  let p901: number, p27010: number, https: boolean;
  try {
    p901 = store.getInt(901);
    p27010 = store.getInt(27010);
    https = store.get(1650) === '0';
  } finally {
    store.close();
  }
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  // The shifted port is still derived from P-values, so --port-offset applies to it as to every other.
  const offset = intOption(args, 'port-offset', 0, 60000) ?? 0;
  const shift = (p: number): number => (!root && p < 1024 ? p + 8000 + offset : p);
  const webGiven = intOption(args, 'web-port', 1, 65535);
  const httpsGiven = intOption(args, 'https-port', 1, 65535);
  const web = webGiven ?? (shift(p901) !== p901 ? shift(p901) : undefined);
  const httpsPort = httpsGiven ?? (shift(p27010) !== p27010 ? shift(p27010) : undefined);
  const shown = https ? (httpsPort ?? p27010) : (web ?? p901);
  return { web, https: httpsPort, scheme: https ? 'https' : 'http', shown, shifted: https ? httpsGiven === undefined && httpsPort !== undefined : webGiven === undefined && web !== undefined };
}

function dhcpOptions(args: ParsedArgs): Map<number, string> {
  const out = new Map<number, string>();
  for (const o of args.options.get('dhcp-option') ?? []) {
    const m = /^(\d{1,3})=(.*)$/s.exec(o);
    if (!m || Number(m[1]) > 254) throw new UsageError(`--dhcp-option must be N=value with N from 1 to 254, got ${JSON.stringify(o)}`);
    out.set(Number(m[1]), m[2]!);
  }
  return out;
}

function startupLine(device: Device, ports: WebPorts, bind: string): string {
  const bound = (device.status as unknown as { get(k: string): unknown }).get('web.urls');
  const host = bind.includes(':') ? `[${bind}]` : bind;
  const url = Array.isArray(bound) && bound.length > 0 ? bound.join(' ') : `${ports.scheme}://${host}:${ports.shown}/`;
  const note = ports.shifted ? ' (P901/P27010 below 1024 moved up by 8000 for a non-root run)' : '';
  return `HT813 ${formatMac(device.identity.mac)} up: web UI ${url}${note}; data ${device.dataDir}`;
}

export type { CliIo };
