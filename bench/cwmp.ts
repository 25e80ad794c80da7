/**
 * CWMP benchmark: N units (1, 100, 1000) in this process open Inform sessions (Inform →
 * InformResponse → empty POST → 204) back to back against a minimal ACS running in its own
 * process; Inform sessions/s, CPU ms per session (this process only), memory per unit; and the
 * whole-tree GetParameterValues (handler + envelope encode). Baseline in the same run: a bare
 * keep-alive HTTP POST loop doing the same two requests per "session" with a fixed body.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { SAMPLES } from '../acs-fixtures/samples';
import { serveRequest } from '../cpe/cwmp/rpc/index';
import { CwmpService } from '../cpe/cwmp/service';
import { encodeEnvelope } from '../cpe/cwmp/soap/envelope';
import { ParamStore } from '../cpe/params/store';
import type { ServiceContext } from '../cpe/service';
import { SystemClock } from '../cpe/shared/clock';
import { silentLogger } from '../cpe/shared/logger';
import { SeededRandom } from '../cpe/shared/random';
import { StatusBoard } from '../cpe/status';
import { fmtMs, measure } from './_report';

const ROUNDS = Number(process.env.CWMP_BENCH_ROUNDS ?? 3);

async function startAcs(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(__dirname, '../acs-fixtures/minimal-acs.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error('minimal ACS exited')));
  });
  return { url: `http://127.0.0.1:${port}/acs`, stop: () => child.kill('SIGTERM') };
}

function unitContext(i: number, dir: string, acsUrl: string): { ctx: ServiceContext; store: ParamStore } {
  const clock = new SystemClock();
  const store = ParamStore.open(dir, { clock, log: silentLogger, durability: 'normal' });
  store.applyOrThrow({ P4503: acsUrl, P4518: '0' }, 'cli');
  const hex = (0x000b82000000 + i).toString(16).padStart(12, '0');
  const boot = Date.now();
  const ctx: ServiceContext = {
    identity: {
      mac: hex,
      lanMac: (0x000b82000000 + i + 1).toString(16).padStart(12, '0'),
      serialNumber: `BENCH${hex}`,
      model: 'HT813',
      hardwareVersion: 'V1.0A',
      firmwareVersion: '1.0.7.1',
      manufacturer: 'Grandstream',
      oui: '000B82',
    },
    store,
    clock,
    random: new SeededRandom(i + 1),
    log: silentLogger,
    dataDir: dir,
    network: { address: '127.0.0.1', dhcpOptions: new Map() },
    ports: {},
    device: { reboot: async () => {}, factoryReset: async () => {}, bootTime: () => boot, bootCount: () => 1 },
    status: new StatusBoard(),
    services: { get: () => undefined },
  };
  return { ctx, store };
}

async function fleet(n: number, acsUrl: string, root: string): Promise<void> {
  global.gc?.();
  const setup0 = Date.now();
  const rss0 = process.memoryUsage().rss;
  const units: Array<{ svc: CwmpService; store: ParamStore }> = [];
  for (let i = 0; i < n; i++) {
    const dir = path.join(root, `n${n}-u${i}`);
    const { ctx, store } = unitContext(i, dir, acsUrl);
    const svc = new CwmpService(ctx, {});
    units.push({ svc, store });
  }
  // start() opens the boot session (BOOTSTRAP + BOOT); wait for all of them.
  await Promise.all(units.map((u) => u.svc.start()));
  await Promise.all(units.map((u) => u.svc.idle()));
  global.gc?.();
  const rssPerUnit = (process.memoryUsage().rss - rss0) / n;
  const setupS = (Date.now() - setup0) / 1000;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(
    units.map(async (u) => {
      for (let r = 0; r < ROUNDS; r++) {
        u.svc.requestSession();
        await u.svc.idle();
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const sessions = units.reduce((a, u) => a + u.svc.sessions, 0) - n;
  const failed = units.filter((u) => u.svc.lastResult?.ok !== true).length;
  for (const u of units) {
    await u.svc.stop('shutdown');
    u.store.close();
  }
  const perSec = (sessions / ms) * 1000;
  const base = await baseline(n, acsUrl, sessions / n);
  console.log(
    `units ${String(n).padStart(4)}: ${Math.round(perSec).toLocaleString('en-US').padStart(7)} Inform sessions/s, ` +
      `${((cpu.user + cpu.system) / 1000 / sessions).toFixed(3)} CPU ms/session, ${(rssPerUnit / 1024).toFixed(0)} KiB RSS/unit` +
      `${failed ? `, ${failed} FAILED` : ''} (boot of the fleet ${setupS.toFixed(1)} s)  | baseline POST loop ${Math.round(base).toLocaleString('en-US')} sessions/s, ratio ${(perSec / base).toFixed(2)}x`,
  );
  if (n === 1000) console.log(`goal ≥ 2,000 Inform sessions/s at 1,000 units: ${perSec >= 2000 && failed === 0 ? 'met' : 'NOT met'}`);
}

/** n clients, each doing `rounds` sessions (connect, Inform POST + empty POST with a fixed body, close). */
async function baseline(n: number, acsUrl: string, rounds: number): Promise<number> {
  const inform = SAMPLES.find((s) => s.file === 'Inform')!;
  const body = encodeEnvelope({ version: '1-0', id: '1', body: inform.message });
  const url = new URL(acsUrl);
  const post = (agent: http.Agent, b: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'Content-Length': Buffer.byteLength(b), 'Content-Type': 'text/xml' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(b);
    });
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: n }, async () => {
      // One TCP connection per session, as the unit does (a CWMP session is its own connection).
      for (let r = 0; r < rounds; r++) {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        await post(agent, body);
        await post(agent, '');
        agent.destroy();
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return ((n * rounds) / ms) * 1000;
}

async function wholeTree(root: string, acsUrl: string): Promise<void> {
  const { ctx, store } = unitContext(99999, path.join(root, 'gpv'), acsUrl);
  const svc = new CwmpService(ctx, { connectionRequests: false });
  // The model without a session: build it through start() with the ACS disabled.
  store.applyOrThrow({ P1409: '0' }, 'cli');
  await svc.start();
  const dm = svc.model;
  const rpc = { dm, store } as unknown as Parameters<typeof serveRequest>[1];
  const req = { method: 'GetParameterValues' as const, parameterNames: ['Device.'] };
  const fixed = serveRequest(req, rpc) as Parameters<typeof encodeEnvelope>[0]['body'] & object;
  let count = 0;
  const m = measure('GetParameterValues Device. (handler + encode)', () => {
    const r = serveRequest(req, rpc);
    count = 'parameterList' in r ? r.parameterList.length : 0;
    encodeEnvelope({ version: '1-0', id: 'x', body: r });
  }, 700);
  const base = measure('baseline: encode the same list, values precomputed', () => {
    encodeEnvelope({ version: '1-0', id: 'x', body: fixed });
  }, 700);
  console.log(`whole tree: ${count} parameters, ${fmtMs(m.ms / m.ops)} per GetParameterValues (goal ≤ 20 ms); ` + `encode-only baseline ${fmtMs(base.ms / base.ops)}, ratio ${((m.ms / m.ops) / (base.ms / base.ops)).toFixed(2)}x`);
  await svc.stop('shutdown');
  store.close();
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-bench-cwmp-'));
  const acs = await startAcs();
  try {
    if (process.env.CWMP_BENCH_SKIP_TREE !== "1") await wholeTree(root, acs.url);
    for (const n of (process.env.CWMP_BENCH_UNITS ?? "1,100,1000").split(",").map(Number)) await fleet(n, acs.url, root);
  } finally {
    acs.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
