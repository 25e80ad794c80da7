/**
 * SIP benchmark.
 * 1. Codec: messages parsed + serialized per second, against a baseline in the same run (a naive
 *    split-lines-into-a-map parser and its join, the least any parser does).
 * 2. Fleet: N units × 2 accounts (SIP_BENCH_UNITS, default 100; 1000 works) in this process, each
 *    account on its own local port, registering with digest through one Kamailio; registrations/s
 *    and heap per account, against SIPp registering the same number of users through the same
 *    Kamailio in the same run (ratio; goal ≥ 0.8× SIPp).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SystemClock } from '../cpe/shared/clock';
import { silentLogger } from '../cpe/shared/logger';
import { CryptoRandom } from '../cpe/shared/random';
import { Account } from '../cpe/voice/accounts/account';
import { readAccountConfig, type AccountConfig } from '../cpe/voice/accounts/account-config';
import { decodeMessage, encodeMessage } from '../cpe/voice/sip/syntax';
import { SipTransports } from '../cpe/voice/sip/transport/sip-transports';
import type { DnsResolver } from '../cpe/voice/sip/transport/locator';
import { sipContext } from '../test/sip/support/sip-context';
import { startKamailio } from '../test/sip/support/kamailio';
import { SCENARIOS } from '../test/sip/support/sipp';
import { freePort } from '../test/support/ports';
import { line, measure } from './_report';

const GOLDEN = path.join(__dirname, '..', 'test', 'golden', 'sip', 'valid');

function codecBench(): void {
  const msgs = ['wsinv.sip', 'esc01.sip', 'transports.sip', 'unreason.sip'].map((f) => fs.readFileSync(path.join(GOLDEN, f)));
  const ours = measure('decode + encode (4 torture messages)', () => {
    for (const m of msgs) encodeMessage(decodeMessage(m));
  }, 1500);
  const base = measure('baseline: split lines + map + join', () => {
    for (const m of msgs) {
      const text = m.toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const map = new Map<string, string>();
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        map.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
      }
      let out = (lines[0] ?? '') + '\r\n';
      for (const [k, v] of map) out += `${k}: ${v}\r\n`;
      Buffer.from(out + '\r\n' + body);
    }
  }, 1500);
  console.log(line(base));
  console.log(line(ours, base));
  console.log(`messages/s: ${Math.round((ours.ops * msgs.length) / (ours.ms / 1000)).toLocaleString('en-US')} (baseline ${Math.round((base.ops * msgs.length) / (base.ms / 1000)).toLocaleString('en-US')})`);
}

const noDns: DnsResolver = { resolve4: async () => [], resolveSrv: async () => [], resolveNaptr: async () => [] };

async function fleetBench(units: number): Promise<void> {
  const accounts = units * 2;
  const kam = await startKamailio({ numberedUsers: true, children: 4, memoryMb: 256 });
  try {
    // one template config from a real store, cloned per account
    const t = sipContext(new SystemClock(), { P271: '1', P47: `127.0.0.1:${kam.port}`, P35: 'x' });
    const template = readAccountConfig(t.ctx.store, 1, '1.0.0.1');
    t.cleanup();
    const clock = new SystemClock();
    const random = new CryptoRandom();
    const reasons = new Map<string, number>();
    const list: Account[] = [];
    let registered = 0;
    let failed = 0;
    let resolveAll: () => void = () => {};
    let onProgress: () => void = () => {};
    const all = new Promise<void>((r) => (resolveAll = r));
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < accounts; i++) {
      const cfg: AccountConfig = { ...template, profile: ((i % 2) + 1) as 1 | 2, userId: `u${i}`, authId: `u${i}`, password: `pw${i}`, localPort: 0, randomPort: true };
      const a = new Account(cfg.profile, {
        clock, random, log: silentLogger, dns: noDns, instanceSeed: `unit${i >> 1}`,
        openTransport: async (c) => {
          const tr = new SipTransports({ address: '127.0.0.1', port: c.randomPort ? 0 : c.localPort, listenTcp: false, clock, log: silentLogger });
          await tr.start();
          return tr;
        },
        onStatus: (s) => {
          if (s.state === 'registered') registered++;
          else if (s.state === 'failed') {
            failed++;
            reasons.set(s.reason ?? '?', (reasons.get(s.reason ?? '?') ?? 0) + 1);
          }
          if (registered + failed === accounts) resolveAll();
          else onProgress();
        },
      });
      list.push(a);
      (a as unknown as { pending: AccountConfig }).pending = cfg;
    }
    // like SIPp's call limit: at most WINDOW registrations in flight (a fleet does not boot in one microsecond)
    const WINDOW = Number(process.env.SIP_BENCH_WINDOW ?? 100);
    let next = 0;
    const launch = (): void => {
      while (next < list.length && next - (registered + failed) < WINDOW) {
        const a = list[next++] as Account;
        void a.start((a as unknown as { pending: AccountConfig }).pending);
      }
    };
    onProgress = launch;
    const start = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    launch();
    let guard: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (guard = setTimeout(r, 40_000)))]);
    clearTimeout(guard);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    global.gc?.();
    const heap = process.memoryUsage().heapUsed - heap0;
    const ourRate = (registered / ms) * 1000;
    console.log(`fleet: ${units} units × 2 accounts: ${registered} registered, ${failed} failed in ${ms.toFixed(0)} ms → ${ourRate.toFixed(0)} registrations/s, ${(heap / accounts / 1024).toFixed(1)} KiB heap per account`);
    console.log(`fleet CPU: ${cpuMs.toFixed(0)} ms in this process (${(cpuMs / ms * 100).toFixed(0)}% of wall; event loop busy ${(elu.utilization * 100).toFixed(0)}%), ${(cpuMs / Math.max(1, registered)).toFixed(3)} ms per registration`);
    if (reasons.size > 0) console.log('failures:', JSON.stringify([...reasons]));
    await Promise.all(list.map((a) => a.stop({ unregister: false })));

    // SIPp: the same number of users through the same Kamailio
    const csv = path.join(kam.dir, 'users.csv');
    fs.writeFileSync(csv, 'SEQUENTIAL\n' + Array.from({ length: accounts }, (_, i) => `s${i};[authentication username=s${i} password=pw${i}]`).join('\n') + '\n');
    const sippPort = await freePort(true);
    const cp = await freePort();
    const s0 = process.hrtime.bigint();
    const rc = await new Promise<number>((resolve) => {
      const p = spawn('sipp', ['-sf', path.join(SCENARIOS, 'reg-users.xml'), '-inf', csv, `127.0.0.1:${kam.port}`, '-i', '127.0.0.1', '-p', String(sippPort),
        '-ci', '127.0.0.1', '-cp', String(cp), '-m', String(accounts), '-r', '5000', '-l', '2000', '-nostdin', '-timeout', '40s'], { stdio: 'ignore' });
      p.on('exit', (code) => resolve(code ?? -1));
    });
    const sippMs = Number(process.hrtime.bigint() - s0) / 1e6;
    const sippRate = (accounts / sippMs) * 1000;
    console.log(`SIPp: ${accounts} users (rc ${rc}) in ${sippMs.toFixed(0)} ms → ${sippRate.toFixed(0)} registrations/s (process start included)`);
    console.log(`ratio ours/SIPp: ${(ourRate / sippRate).toFixed(2)}x (goal ≥ 0.8x)`);
  } finally {
    await kam.stop();
  }
}

async function main(): Promise<void> {
  codecBench();
  await fleetBench(Number(process.env.SIP_BENCH_UNITS ?? 100));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
