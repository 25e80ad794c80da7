/**
 * The web UI under 50 concurrent sessions: page render (GET of the STATUS page and of the largest
 * settings page) and a full-page Apply round trip (POST of every field of the FXS page + the
 * redirected GET), latency p50/p99; against a static file (/static/web.css) served by the same
 * server in the same run.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ParamStore } from '../cpe/params/store';
import type { ResetType } from '../cpe/params/types';
import type { Service, ServiceContext } from '../cpe/service';
import { SystemClock } from '../cpe/shared/clock';
import { silentLogger } from '../cpe/shared/logger';
import { CryptoRandom } from '../cpe/shared/random';
import { StatusBoard } from '../cpe/status';
import { WebService } from '../cpe/web/web-service';

const SESSIONS = 50;
const ROUNDS = 20; // requests per session per scenario

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: SESSIONS });

function request(base: string, method: string, p: string, cookie: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { cookie };
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request(new URL(p, base), { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Client {
  cookie: string;
  csrf: string;
}

async function login(base: string): Promise<Client> {
  const form = await request(base, 'GET', '/login', '');
  const lt = (form.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
  const token = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const r = await request(base, 'POST', '/login', lt, new URLSearchParams({ csrf: token, P2: 'admin' }).toString());
  if (r.status !== 303) throw new Error(`login failed: ${r.status}`);
  const cookie = (r.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).find((c) => c.startsWith('HT813SID_'))!;
  const status = await request(base, 'GET', '/status', cookie);
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(status.body)![1]! };
}

/** Every session runs `op` ROUNDS times, all sessions at once; returns each op's latency in ms. */
async function run(clients: Client[], op: (c: Client, i: number) => Promise<void>): Promise<{ lat: number[]; wallMs: number }> {
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c, k) => {
      for (let i = 0; i < ROUNDS; i++) {
        const s = performance.now();
        await op(c, k * ROUNDS + i);
        lat.push(performance.now() - s);
      }
    }),
  );
  return { lat, wallMs: performance.now() - t0 };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function report(name: string, r: { lat: number[]; wallMs: number }, baseP50?: number): number {
  const s = [...r.lat].sort((a, b) => a - b);
  const p50 = pct(s, 50);
  const ratio = baseP50 ? `  ${(p50 / baseP50).toFixed(1)}x baseline p50` : '  (baseline)';
  const rate = (r.lat.length / r.wallMs) * 1000;
  console.log(
    `${name.padEnd(44)} p50 ${p50.toFixed(2).padStart(7)} ms  p99 ${pct(s, 99).toFixed(2).padStart(7)} ms  ${rate.toFixed(0).padStart(6)} /s  ${(r.wallMs / r.lat.length).toFixed(2).padStart(6)} ms server time each${ratio}`,
  );
  return p50;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-web-bench-'));
  const clock = new SystemClock();
  const store = ParamStore.open(dir, { clock, log: silentLogger, durability: 'normal' });
  const ctx: ServiceContext = {
    identity: { mac: '000b82beef01', lanMac: '000b82beef02', serialNumber: 'BENCH', model: 'HT813', hardwareVersion: 'V1.0A', firmwareVersion: '1.0.1.0', manufacturer: 'Grandstream', oui: '000B82' },
    store,
    clock,
    random: new CryptoRandom(),
    log: silentLogger,
    dataDir: dir,
    network: { address: '127.0.0.1', dhcpOptions: new Map() },
    ports: { web: 0 },
    device: { reboot: async () => {}, factoryReset: async (_t: ResetType) => {}, bootTime: () => clock.now(), bootCount: () => 1 },
    status: new StatusBoard(),
    services: { get: <T extends Service>(_n: string) => undefined as T | undefined },
  };
  const web = new WebService(ctx);
  await web.start();
  const base = web.urls()[0]!;
  try {
    const clients: Client[] = [];
    for (let i = 0; i < SESSIONS; i++) clients.push(await login(base));
    // the full FXS form as a browser posts it: every field with its current value, passwords empty
    const fxsFields = store.catalogue.entries.filter((d) => d.web?.page === 'fxs' && !d.readOnly);
    const formFor = (c: Client, i: number): string => {
      const p = new URLSearchParams({ csrf: c.csrf, action: 'apply' });
      for (const d of fxsFields) p.append(`P${d.id}`, d.type.kind === 'password' ? '' : d.id === 47 ? `sip${i}.example.com` : store.get(d.id));
      return p.toString();
    };
    const expect = (r: Reply, status: number) => {
      if (r.status !== status) throw new Error(`unexpected ${r.status}: ${r.body.slice(0, 300)}`);
    };
    console.log(`${SESSIONS} concurrent sessions × ${ROUNDS} requests each; FXS form of ${fxsFields.length} fields`);
    console.log('(latencies include queueing behind the other 49 sessions; "server time each" = wall time / requests)');
    await run(clients, async (c) => {
      expect(await request(base, 'GET', '/static/web.css', c.cookie), 200);
      expect(await request(base, 'GET', '/fxs', c.cookie), 200);
    }); // warm-up: connections, JIT
    const baseP50 = report('static file GET /static/web.css', await run(clients, async (c) => expect(await request(base, 'GET', '/static/web.css', c.cookie), 200)));
    report('page render GET /status', await run(clients, async (c) => expect(await request(base, 'GET', '/status', c.cookie), 200)), baseP50);
    report('page render GET /fxs', await run(clients, async (c) => expect(await request(base, 'GET', '/fxs', c.cookie), 200)), baseP50);
    let applied = 0;
    const unsubscribe = store.subscribe(() => applied++);
    report(
      'full-page Apply POST /fxs + redirected GET',
      await run(clients, async (c, i) => {
        expect(await request(base, 'POST', '/fxs', c.cookie, formFor(c, i)), 303);
        expect(await request(base, 'GET', '/fxs', c.cookie), 200);
      }),
      baseP50,
    );
    unsubscribe();
    console.log(`applies committed: ${applied} of ${SESSIONS * ROUNDS}; P47 now ${store.get(47)}`);
  } finally {
    await web.stop('shutdown');
    agent.destroy();
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
