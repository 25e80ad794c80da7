/**
 * net-snmp's command-line tools as the real peer: the managers (snmpget, snmpwalk, snmpbulkwalk,
 * snmpset) run once per call; snmptrapd runs in the foreground on 127.0.0.1 and is stopped by pid.
 * Each gets its own persistent and config folders in the test's temp dir and loads no MIB files,
 * so output names OIDs numerically (-On).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { haveCommand, startPeer, type Peer } from '../support/peer';
import { udpBound } from '../support/ports';

export interface ToolResult {
  readonly code: number;
  readonly out: string;
}

export interface NetSnmp {
  /** Runs one manager command; resolves with its exit code and stdout + stderr. */
  run(cmd: string, args: readonly string[]): Promise<ToolResult>;
  startTrapd(port: number, conf: readonly string[]): Promise<Snmptrapd>;
}

export interface Snmptrapd {
  readonly peer: Peer;
  /** One per trap received: `<%P>|<enterprise>|<generic>|<specific>|<varbinds>` (v2 traps leave the middle three empty). */
  traps(): string[];
  stop(): Promise<void>;
}

export function netSnmp(dir: string): NetSnmp {
  for (const cmd of ['snmpget', 'snmpwalk', 'snmpbulkwalk', 'snmpset', 'snmptrapd']) {
    if (!haveCommand(cmd)) throw new Error(`${cmd} is not installed: apt-get install --no-install-recommends snmp snmptrapd (listed in .ci/deps/snmp.list)`);
  }
  const persist = path.join(dir, 'net-snmp');
  fs.mkdirSync(persist, { recursive: true });
  const env = { ...process.env, MIBS: '', SNMP_PERSISTENT_DIR: persist, SNMPCONFPATH: persist };
  return {
    run: (cmd, args) =>
      new Promise((resolve) => {
        execFile(cmd, ['-On', ...args], { env, timeout: 20_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, out: `${stdout}${stderr}` });
        });
      }),
    startTrapd: async (port, conf) => {
      const file = path.join(dir, `snmptrapd-${port}.conf`);
      fs.writeFileSync(file, [...conf, 'format1 TRAP %P|%N|%w|%q|%v\\n', 'format2 TRAP %P||||%v\\n', ''].join('\n'));
      const trapPersist = path.join(dir, `snmptrapd-${port}`);
      fs.mkdirSync(trapPersist, { recursive: true });
      const peer = await startPeer('snmptrapd', ['-f', '-Lo', '-C', '-c', file, '-On', `udp:127.0.0.1:${port}`], {
        env: { ...env, SNMP_PERSISTENT_DIR: trapPersist, SNMPCONFPATH: trapPersist },
        ready: async (out) => out.includes('NET-SNMP version') && (await udpBound(port)),
        timeoutMs: 10_000,
      });
      return {
        peer,
        traps: () => peer.output().split('\n').filter((l) => l.startsWith('TRAP ')).map((l) => l.slice(5)),
        stop: () => peer.stop(),
      };
    },
  };
}
