/**
 * SIP benchmark.
 * 1. Codec: messages parsed + serialized per second, against a baseline in the same run (a naive
 *    split-lines-into-a-map parser and its join, the least any parser does).
 * 2. Fleet: N units × 2 accounts (SIP_BENCH_UNITS, default 1000) in this process, laid out as
 *    `ht813 fleet` lays them out (unit i on its own loopback address, account 1 on port 5060 and
 *    account 2 on 5062), registering with digest through one Kamailio. The ports are opened first
 *    (timed apart: that is the units booting), then every account registers, at most
 *    SIP_BENCH_WINDOW at a time. Registrations/s, CPU and heap per account, against SIPp
 *    registering the same number of users through the same Kamailio in the same run (ratio; goal
 *    ≥ 0.8× SIPp). SIPp paces itself (-r), so its rate is swept (SIP_BENCH_SIPP_RATES, default
 *    from 5000/s up by 2000/s until a run loses a registration or comes out slower than the
 *    one before; each run its own users) and the ratio takes its best run that lost nothing: a
 *    fixed list of rates would cap SIPp at the highest one. CPU per registration is printed for
 *    our process, for SIPp and for Kamailio in each run: on a small machine they share the cores. A warm-up fleet on other addresses registers first (SIP_BENCH_WARMUP units,
 *    default as many as the fleet), so the figure is the steady state of a long-running fleet, not
 *    V8's first compilations; the warm-up's own rate is printed too. No full GC is forced between
 *    the warm-up and the timed fleet (it would deoptimize the warmed code: see registerFleet).
 * 3. Two figures that explain the fleet's: the same two round trips per user on the same kind of
 *    sockets without our SIP stack (raw Node UDP: a hand-written REGISTER and digest), and our
 *    stack's work alone (in memory, the registrar's answers written by hand, no sockets).
 * 4. The budget the goal leaves this process on this machine (CPU and event-loop time per
 *    registration at 0.8× SIPp's best rate, less Kamailio's share), beside those two figures.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import inspector from 'node:inspector';
import path from 'node:path';
import { nthAddress } from '../cpe/fleet';
import { SystemClock } from '../cpe/shared/clock';
import { silentLogger } from '../cpe/shared/logger';
import { CryptoRandom } from '../cpe/shared/random';
import { Account } from '../cpe/voice/accounts/account';
import { readAccountConfig, type AccountConfig } from '../cpe/voice/accounts/account-config';
import { digestResponse } from '../cpe/voice/sip/auth/digest-client';
import { decodeMessage, encodeMessage, type SipMessage } from '../cpe/voice/sip/syntax';
import { SipTransports } from '../cpe/voice/sip/transport/sip-transports';
import type { DnsResolver } from '../cpe/voice/sip/transport/locator';
import type { HostPort, Transport, TransportProtocol, TransportTarget, TransportUser } from '../cpe/voice/sip/transport/transport';
import { sipContext } from '../test/sip/support/sip-context';
import { startKamailio, type Kamailio } from '../test/sip/support/kamailio';
import { SCENARIOS } from '../test/sip/support/sipp';
import { freePort } from '../test/support/ports';
import { line, measure } from './_report';

const GOLDEN = path.join(__dirname, '..', 'test', 'golden', 'sip', 'valid');
const WINDOW = Number(process.env.SIP_BENCH_WINDOW ?? 100);
const REALM = 'peers.test';

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

/** Account i of a fleet: unit i >> 1, profile 1 on 5060 and profile 2 on 5062 (the P40/P740 defaults). */
function slot(addressBase: string, i: number): HostPort {
  return { address: nthAddress(addressBase, i >> 1), port: i % 2 === 0 ? 5060 : 5062 };
}

interface Run {
  registered: number;
  failed: number;
  ms: number;
  cpuMs: number;
  elu: number;
  openMs: number;
  heapPerAccount: number;
  reasons: Map<string, number>;
}

/** Waits for p, or for ms at most. */
async function within(p: Promise<void>, ms: number): Promise<void> {
  let guard: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise<void>((r) => (guard = setTimeout(r, ms)))]);
  clearTimeout(guard);
}

/**
 * Opens the ports of `accounts` accounts, then registers them all (window-limited); stops them.
 * Heap per account (measureHeap) is what full GCs free once the registered fleet is stopped and
 * dropped, taken after the timing: a forced full GC before the timed window would throw away code
 * the JIT optimized during the warm-up ("weak objects" deoptimization) and time its recompilation.
 */
async function registerFleet(template: AccountConfig, accounts: number, addressBase: string, userBase: number, measureHeap: boolean): Promise<Run> {
  const clock = new SystemClock();
  const random = new CryptoRandom();
  const o0 = process.hrtime.bigint();
  const transports = await Promise.all(Array.from({ length: accounts }, async (_, i) => {
    const s = slot(addressBase, i);
    const tr = new SipTransports({ address: s.address, port: s.port, listenTcp: false, clock, log: silentLogger });
    await tr.start();
    return tr;
  }));
  const openMs = Number(process.hrtime.bigint() - o0) / 1e6;
  const reasons = new Map<string, number>();
  let registered = 0;
  let failed = 0;
  let next = 0;
  let resolveAll: () => void = () => {};
  const all = new Promise<void>((r) => (resolveAll = r));
  const list: Array<{ account: Account; cfg: AccountConfig }> = [];
  // like SIPp's call limit: at most WINDOW registrations in flight
  const launch = (): void => {
    while (next < list.length && next - (registered + failed) < WINDOW) {
      const a = list[next++] as (typeof list)[number];
      void a.account.start(a.cfg);
    }
  };
  for (let i = 0; i < accounts; i++) {
    const user = `u${userBase + i}`;
    const cfg: AccountConfig = { ...template, profile: ((i % 2) + 1) as 1 | 2, userId: user, authId: user, password: `pw${userBase + i}`, localPort: slot(addressBase, i).port, randomPort: false };
    const account = new Account(cfg.profile, {
      clock, random, log: silentLogger, dns: noDns, instanceSeed: `unit${i >> 1}`,
      openTransport: async () => transports[i] as SipTransports,
      onStatus: (s) => {
        if (s.state === 'registered') registered++;
        else if (s.state === 'failed') {
          failed++;
          reasons.set(s.reason ?? '?', (reasons.get(s.reason ?? '?') ?? 0) + 1);
        } else return;
        if (registered + failed === accounts) resolveAll();
        else launch();
      },
    });
    list.push({ account, cfg });
  }
  const profiler = profileTo(userBase === 0 ? process.env.SIP_BENCH_PROFILE : undefined);
  await profiler?.start();
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const elu0 = performance.eventLoopUtilization();
  launch();
  await within(all, 60_000);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0).utilization;
  await profiler?.stop();
  let heapPerAccount = Number.NaN;
  if (measureHeap && global.gc) global.gc();
  const heapLive = process.memoryUsage().heapUsed;
  await Promise.all(list.map((a) => a.account.stop({ unregister: false })));
  // a closed socket's handle lets go of its account once libuv has closed it: wait for that
  const last = new WeakRef((list[list.length - 1] as (typeof list)[number]).account);
  list.length = 0;
  transports.length = 0;
  if (measureHeap && global.gc) {
    for (let k = 0; k < 40 && last.deref(); k++) {
      await new Promise((r) => setTimeout(r, 25));
      global.gc();
    }
    heapPerAccount = (heapLive - process.memoryUsage().heapUsed) / accounts;
  }
  return { registered, failed, ms, cpuMs: (cpu.user + cpu.system) / 1000, elu, openMs, heapPerAccount, reasons };
}

/** SIP_BENCH_PROFILE=file.cpuprofile: a V8 CPU profile of the measured registrations (open it in Chrome DevTools). */
function profileTo(file: string | undefined): { start(): Promise<void>; stop(): Promise<void> } | undefined {
  if (!file) return undefined;
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params: object = {}): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  return {
    start: async () => {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 100 });
      await post('Profiler.start');
    },
    stop: async () => {
      const res = (await post('Profiler.stop')) as { profile: unknown };
      fs.writeFileSync(file, JSON.stringify(res.profile));
      session.disconnect();
    },
  };
}

function report(label: string, accounts: number, r: Run): number {
  const rate = (r.registered / r.ms) * 1000;
  console.log(`${label}: ${accounts} accounts: ports opened in ${r.openMs.toFixed(0)} ms; ${r.registered} registered, ${r.failed} failed in ${r.ms.toFixed(0)} ms → ${rate.toFixed(0)} registrations/s`);
  console.log(`  CPU ${r.cpuMs.toFixed(0)} ms (${((r.cpuMs / r.ms) * 100).toFixed(0)}% of wall, event loop busy ${(r.elu * 100).toFixed(0)}%): ${((r.cpuMs * 1000) / Math.max(1, r.registered)).toFixed(0)} µs per registration${Number.isNaN(r.heapPerAccount) ? '' : `; ${(r.heapPerAccount / 1024).toFixed(1)} KiB heap per account`}`);
  if (r.reasons.size > 0) console.log('  failures:', JSON.stringify([...r.reasons]));
  return rate;
}

/** REGISTER text as a minimal UAC writes it (the raw baseline). */
function rawRegister(kamPort: number, s: HostPort, user: string, n: number, cseq: number, authorization: string): Buffer {
  return Buffer.from(
    `REGISTER sip:127.0.0.1:${kamPort} SIP/2.0\r\nVia: SIP/2.0/UDP ${s.address}:${s.port};branch=z9hG4bK${n}r${cseq};rport\r\n` +
      `From: <sip:${user}@127.0.0.1>;tag=r${n}\r\nTo: <sip:${user}@127.0.0.1>\r\nCall-ID: raw${n}@${s.address}\r\nCSeq: ${cseq} REGISTER\r\n` +
      `Contact: <sip:${user}@${s.address}:${s.port}>\r\n${authorization}Expires: 3600\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`,
    'latin1',
  );
}

/**
 * Raw Node UDP: the same two round trips per user through the same Kamailio, on sockets opened
 * like the fleet's, without our stack: the least this process can spend per registration.
 */
async function rawFloor(kamPort: number, accounts: number, addressBase: string, userBase: number): Promise<{ rate: number; cpuUsPer: number; done: number }> {
  const socks = await Promise.all(Array.from({ length: accounts }, (_, i) => new Promise<dgram.Socket>((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    const a = slot(addressBase, i);
    s.bind(a.port, a.address, () => resolve(s));
  })));
  let done = 0;
  let next = 0;
  let lastAt = process.hrtime.bigint();
  let finish: () => void = () => {};
  const all = new Promise<void>((r) => (finish = r));
  const uri = `sip:127.0.0.1:${kamPort}`;
  const begin = (i: number): void => {
    const s = socks[i] as dgram.Socket;
    const a = slot(addressBase, i);
    const user = `u${userBase + i}`;
    s.on('message', (m) => {
      const text = m.toString('latin1');
      if (text.startsWith('SIP/2.0 401')) {
        const nonce = /nonce="([^"]+)"/.exec(text)?.[1] ?? '';
        const response = digestResponse({ algorithm: 'MD5', username: user, password: `pw${userBase + i}`, realm: REALM, nonce, method: 'REGISTER', uri, qop: 'auth', nc: '00000001', cnonce: 'c0ffee' });
        const auth = `Authorization: Digest username="${user}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"\r\n`;
        s.send(rawRegister(kamPort, a, user, i, 2, auth), kamPort, '127.0.0.1');
      } else if (text.startsWith('SIP/2.0 200')) {
        lastAt = process.hrtime.bigint();
        if (++done === accounts) finish();
        else pump();
      }
    });
    s.send(rawRegister(kamPort, a, user, i, 1, ''), kamPort, '127.0.0.1');
  };
  const pump = (): void => {
    while (next < accounts && next - done < WINDOW) begin(next++);
  };
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  pump();
  // no retransmissions here: a lost datagram ends the run at the guard; the rate counts up to the last 200
  await within(all, 10_000);
  const c = process.cpuUsage(c0);
  const ms = Number(lastAt - t0) / 1e6;
  await Promise.all(socks.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return { rate: (done / ms) * 1000, cpuUsPer: (c.user + c.system) / Math.max(1, done), done };
}

/** The registrar's answer written from the request's text (Kamailio's work, not ours): 401, then 200. */
function answerFromText(req: Buffer): Buffer {
  const t = req.toString('latin1');
  const pick = (name: string): string => {
    const i = t.indexOf('\r\n' + name + ':');
    return t.slice(i + 2, t.indexOf('\r\n', i + 2));
  };
  const authed = t.includes('\r\nAuthorization:');
  const head = authed ? 'SIP/2.0 200 OK' : 'SIP/2.0 401 Unauthorized';
  const extra = authed ? `${pick('Contact')};expires=3600\r\n` : `WWW-Authenticate: Digest realm="${REALM}", nonce="5f3a9c0e1b2d4f6a8c0e", qop="auth", algorithm=MD5\r\n`;
  return Buffer.from(`${head}\r\n${pick('Via')};received=127.0.0.1\r\n${pick('From')}\r\n${pick('To')};tag=k1\r\n${pick('Call-ID')}\r\n${pick('CSeq')}\r\n${extra}Content-Length: 0\r\n\r\n`, 'latin1');
}

/** A transport that hands each request to answerFromText and the answer back on the next turn. */
class AnsweringTransport implements Transport {
  private user: TransportUser | undefined;
  constructor(private readonly local: HostPort) {}
  setUser(u: TransportUser): void {
    this.user = u;
  }
  localAddress(_p: TransportProtocol): HostPort {
    return this.local;
  }
  reliable(p: TransportProtocol): boolean {
    return p !== 'udp';
  }
  async send(message: SipMessage, target: TransportTarget): Promise<TransportTarget> {
    const top = message.type === 'request' ? message.via[0] : undefined;
    if (top) {
      top.transport = 'UDP';
      top.host = this.local.address;
      top.port = this.local.port;
    }
    const answer = answerFromText(encodeMessage(message));
    setImmediate(() => this.user?.onMessage({ message: decodeMessage(answer), protocol: 'udp', remote: target, local: this.local }));
    return target;
  }
  async close(): Promise<void> {}
}

/** Our stack's CPU per registration with no sockets (µs), after `rounds - 1` warm-up rounds. */
async function stackAlone(template: AccountConfig, accounts: number, rounds: number): Promise<number> {
  let last = 0;
  for (let r = 0; r < rounds; r++) {
    const clock = new SystemClock();
    const random = new CryptoRandom();
    let done = 0;
    let finish: () => void = () => {};
    const all = new Promise<void>((res) => (finish = res));
    const list: Account[] = [];
    const c0 = process.cpuUsage();
    for (let i = 0; i < accounts; i++) {
      const cfg: AccountConfig = { ...template, profile: ((i % 2) + 1) as 1 | 2, userId: `m${i}`, authId: `m${i}`, password: `pw${i}` };
      const a = new Account(cfg.profile, {
        clock, random, log: silentLogger, dns: noDns, instanceSeed: `unit${i >> 1}`,
        openTransport: async () => new AnsweringTransport(slot('127.5.0.1', i)),
        onStatus: (s) => {
          if ((s.state === 'registered' || s.state === 'failed') && ++done === accounts) finish();
        },
      });
      list.push(a);
      void a.start(cfg);
    }
    await all;
    const c = process.cpuUsage(c0);
    last = (c.user + c.system) / accounts;
    await Promise.all(list.map((a) => a.stop({ unregister: false })));
  }
  return last;
}

/** SIPp registering `accounts` users s<userBase + i> (each run its own users: new bindings, as ours are). */
async function sippRun(kam: Kamailio, accounts: number, callRate: number, userBase: number): Promise<{ rate: number; rc: number; kamailioUs: number }> {
  const csv = path.join(kam.dir, 'users.csv');
  fs.writeFileSync(csv, 'SEQUENTIAL\n' + Array.from({ length: accounts }, (_, i) => `s${userBase + i};[authentication username=s${userBase + i} password=pw${userBase + i}]`).join('\n') + '\n');
  const sippPort = await freePort();
  const cp = await freePort();
  const c0 = childrenCpuMs();
  const k0 = groupCpuMs(kam.peer.pid);
  const s0 = process.hrtime.bigint();
  const rc = await new Promise<number>((resolve) => {
    const p = spawn('sipp', ['-sf', path.join(SCENARIOS, 'reg-users.xml'), '-inf', csv, `127.0.0.1:${kam.port}`, '-i', '127.0.0.1', '-p', String(sippPort),
      '-ci', '127.0.0.1', '-cp', String(cp), '-m', String(accounts), '-r', String(callRate), '-l', '2000', '-nostdin', '-timeout', '40s'], { stdio: 'ignore' });
    p.on('exit', (code) => resolve(code ?? -1));
  });
  const ms = Number(process.hrtime.bigint() - s0) / 1e6;
  const rate = (accounts / ms) * 1000;
  const kamailioUs = ((groupCpuMs(kam.peer.pid) - k0) * 1000) / accounts;
  const cpu = `SIPp CPU ${((childrenCpuMs() - c0) * 1000 / accounts).toFixed(0)} µs, Kamailio ${kamailioUs.toFixed(0)} µs per registration`;
  console.log(`SIPp -r ${callRate}: ${accounts} users (rc ${rc}) in ${ms.toFixed(0)} ms → ${rate.toFixed(0)} registrations/s (process start included; -l 2000); ${cpu}${rc === 0 ? '' : ' — registrations failed, run not counted'}`);
  return { rate, rc, kamailioUs };
}

/**
 * What the goal leaves this process on this machine: at 0.8 × SIPp's best rate, the cores' CPU per
 * registration less what Kamailio spent per registration at that rate (SIPp's CPU is not counted:
 * it is idle then), and the main thread's whole second per registration (one event loop).
 */
function budget(sippRate: number, kamailioUs: number, rawUs: number, aloneUs: number): string {
  const target = 0.8 * sippRate;
  const cores = os.availableParallelism();
  const processUs = (cores * 1e6) / target - kamailioUs;
  const mainUs = 1e6 / target;
  return `the goal (${target.toFixed(0)}/s) leaves this process ≤ ${processUs.toFixed(0)} µs CPU per registration (${cores} cores less Kamailio's ${kamailioUs.toFixed(0)} µs) and its event loop ≤ ${mainUs.toFixed(0)} µs; raw Node UDP alone spends ${rawUs.toFixed(0)} µs, our stack alone ${aloneUs.toFixed(0)} µs`;
}

/** CPU (ms) of our waited-for children so far: cutime + cstime of /proc/self/stat (proc(5)), 10 ms ticks. */
function childrenCpuMs(): number {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[13]) + Number(f[14])) * 10;
}

/** CPU (ms) used so far by every live process of process group `pgid` (a peer and its workers): utime + stime. */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(pid)) continue;
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended between readdir and read
    }
  }
  return ticks * 10;
}

async function fleetBench(units: number, warmupUnits: number): Promise<void> {
  const accounts = units * 2;
  const kam = await startKamailio({ numberedUsers: true, children: 4, memoryMb: 256 });
  try {
    // one template config from a real store, cloned per account
    const t = sipContext(new SystemClock(), { P271: '1', P47: `127.0.0.1:${kam.port}`, P35: 'x' });
    const template = readAccountConfig(t.ctx.store, 1, '1.0.0.1');
    t.cleanup();
    if (warmupUnits > 0) report(`warm-up fleet (${warmupUnits} units, 127.3.0.1 up)`, warmupUnits * 2, await registerFleet(template, warmupUnits * 2, '127.3.0.1', 100_000, false));
    const k0 = groupCpuMs(kam.peer.pid);
    const ours = report(`fleet (${units} units × 2 accounts, 127.1.0.1 up)`, accounts, await registerFleet(template, accounts, '127.1.0.1', 0, true));
    console.log(`  Kamailio CPU ${((groupCpuMs(kam.peer.pid) - k0) * 1000 / accounts).toFixed(0)} µs per registration of ours`);
    // SIPp paces itself (-r): sweep its rate upward and compare with its best run that lost nothing
    let sipp = 0;
    let kamailioAtBest = 0;
    const fixed = process.env.SIP_BENCH_SIPP_RATES?.split(',').map(Number);
    let previous = 0;
    for (let k = 0, r: number | undefined = fixed?.[0] ?? 5000; r !== undefined && k < 20; k++, r = fixed ? fixed[k] : r + 2000) {
      const run = await sippRun(kam, accounts, r, k * 100_000);
      if (run.rc === 0 && run.rate > sipp) {
        sipp = run.rate;
        kamailioAtBest = run.kamailioUs;
      }
      if (!fixed && (run.rc !== 0 || run.rate < previous)) break;
      previous = run.rate;
    }
    if (sipp > 0) console.log(`ratio ours/SIPp (its best run, ${sipp.toFixed(0)}/s): ${(ours / sipp).toFixed(2)}x (goal ≥ 0.8x)`);
    else console.log('ratio ours/SIPp: no SIPp run registered every user');
    const raw = await rawFloor(kam.port, accounts, '127.4.0.1', 200_000);
    console.log(`raw Node UDP, same round trips without our stack: ${raw.done} registered → ${raw.rate.toFixed(0)} registrations/s, ${raw.cpuUsPer.toFixed(0)} µs CPU per registration`);
    // the ceiling of any SIP stack in this process on this machine: Node's sockets alone, against SIPp
    if (sipp > 0) console.log(`  raw Node UDP/SIPp (its best run): ${(raw.rate / sipp).toFixed(2)}x`);
    const alone = await stackAlone(template, Math.min(accounts, 2000), 4);
    console.log(`our stack alone (in memory, ${Math.min(accounts, 2000)} accounts, warm): ${alone.toFixed(0)} µs CPU per registration`);
    if (sipp > 0) console.log(budget(sipp, kamailioAtBest, raw.cpuUsPer, alone));
  } finally {
    await kam.stop();
  }
}

async function main(): Promise<void> {
  codecBench();
  await fleetBench(Number(process.env.SIP_BENCH_UNITS ?? 1000), Number(process.env.SIP_BENCH_WARMUP ?? process.env.SIP_BENCH_UNITS ?? 1000));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
