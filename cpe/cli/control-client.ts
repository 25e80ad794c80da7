import fs from 'node:fs';
import net from 'node:net';
import { SystemClock } from '../shared/clock';
import { silentLogger } from '../shared/logger';
import { ParamStore } from '../params/store';
import { controlSocketPath, type ControlRequest, type ControlResponse } from './control-protocol';
import { executeRequest } from './param-ops';

/** The running unit's answer, or undefined when no unit is running on the folder. */
export function sendToRunningUnit(dataDir: string, req: ControlRequest, timeoutMs = 10_000): Promise<ControlResponse | undefined> {
  const p = controlSocketPath(dataDir);
  if (!fs.existsSync(p)) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const sock = net.connect(p);
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`the unit on ${dataDir} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(JSON.stringify(req) + '\n'));
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      sock.end();
      try {
        resolve(JSON.parse(buf.slice(0, nl)) as ControlResponse);
      } catch (e) {
        reject(e);
      }
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // A socket file left by a unit that died: nobody is running.
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOENT') resolve(undefined);
      else reject(e);
    });
  });
}

/**
 * Runs a request against the unit on `dataDir`: through its control socket when it is running
 * (its services see the change at once), else on the store directly (created if absent, so a unit
 * can be preconfigured before its first start).
 */
export async function runRequest(dataDir: string, req: ControlRequest): Promise<ControlResponse> {
  const live = await sendToRunningUnit(dataDir, req);
  if (live) return live;
  const store = ParamStore.open(dataDir, { clock: new SystemClock(), log: silentLogger });
  try {
    return await executeRequest(store, req, async (type) => store.factoryReset(type).length);
  } finally {
    store.close();
  }
}
