/**
 * Calls benchmark.
 * 1. Fleet answering SIPp calls: N units (CALLS_BENCH_UNITS, default 100) in this process, each
 *    account 1 registered with Kamailio as u<i>, each FXS line answered by an auto-answering
 *    phone (off-hook on ring, on-hook on dial tone), no RTP; SIPp places M calls through the same
 *    Kamailio at a fixed offered rate. Figures: calls/s completed and the setup time (INVITE →
 *    200 OK, SIPp's Response Time 1), against SIPp's own UAS registered as 9001 under the same load
 *    in the same run (ratio; goal ≥ 0.8×).
 * 2. Phone side: a unit's phone dials (the `#` that ends dialing) → 200 OK from SIPp's UAS:
 *    p50/p99 over K sequential calls.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SystemClock } from '../cpe/shared/clock';
import { silentLogger } from '../cpe/shared/logger';
import { CryptoRandom } from '../cpe/shared/random';
import { Account } from '../cpe/voice/accounts/account';
import { readAccountConfig, type AccountConfig } from '../cpe/voice/accounts/account-config';
import { SipTransports } from '../cpe/voice/sip/transport/sip-transports';
import type { DnsResolver } from '../cpe/voice/sip/transport/locator';
import { accountLink } from '../cpe/voice/calls/calls-service';
import { SipSignalling } from '../cpe/voice/calls/sip-signalling';
import { GrandstreamDialPlan } from '../cpe/voice/calls/dial-plan-adapter';
import { readSignallingSettings } from '../cpe/voice/calls/call-settings';
import { FxsLine } from '../cpe/voice/fxs/fxs-line';
import { MemoryFeatureStore } from '../cpe/voice/features/feature-state';
import type { LineEvent, LinePort, MediaFactory, MediaSession } from '../cpe/voice/fxs/ports';
import type { ParamReader } from '../cpe/voice/fxs/fxs-settings';
import { ht813Catalogue } from '../cpe/params/catalogue';
import { sipContext } from '../test/sip/support/sip-context';
import { startProxy } from '../test/calls/support/proxy';
import { freePort } from '../test/support/ports';

/** Talk time of each load call: one FXS line holds one call, so N units carry at most N / (setup + hold) calls/s. */
const HOLD_MS = 50;
const SCENARIOS = path.join(__dirname, '..', 'test', 'calls', 'scenarios');
const noDns: DnsResolver = { resolve4: async () => [], resolveSrv: async () => [], resolveNaptr: async () => [] };
/**
 * HT813 defaults (the line falls back to them on a number it is not given), except P91 = 1: call
 * waiting off, so a call reaching a line that is still busy is refused 486 at once (one line
 * holds one call; SIPp's UAS has no such limit, so the load keeps every line's calls apart).
 */
const CATALOGUE = ht813Catalogue();
const DEFAULTS: ParamReader = {
  get(id: number): string {
    if (id === 91) return '1';
    const def = CATALOGUE.get(id);
    if (!def) throw new Error(`P${id} is not in the catalogue`);
    return def.default;
  },
};

/** How long the bench's phone takes to answer a ring (ms). */
const ANSWER_MS = 10;

/** A phone that answers when it rings and hangs up when it hears dial tone (the far end left). */
class AutoPhone implements LinePort {
  private listener: ((e: LineEvent) => void) | undefined;
  private offHook = false;
  /** Off-hook because it answered a call (dial tone then means the caller hung up). */
  private answering = false;
  answered = 0;
  onEvent(l: (e: LineEvent) => void): () => void {
    this.listener = l;
    return () => (this.listener = undefined);
  }
  private emit(e: LineEvent): void {
    setImmediate(() => this.listener?.(e));
  }
  ring(): void {
    if (this.offHook) return;
    this.offHook = true;
    this.answering = true;
    this.answered++;
    // A phone lifted "at once" still takes a moment: answered in the same turn, the 200 can
    // overtake the 180 in Kamailio's parallel UDP workers, and SIPp's load scenario then
    // aborts the call on the late 180 (seen as ~8 % failed calls before this delay).
    setTimeout(() => this.listener?.({ type: 'offHook' }), ANSWER_MS);
  }
  playTone(tone: string | undefined): void {
    if (tone && this.offHook && this.answering) {
      this.offHook = false;
      this.answering = false;
      this.emit({ type: 'onHook' });
    }
  }
  stopRing(): void {}
  alertCallWaiting(): void {}
  stopCallWaiting(): void {}
  setMessageWaiting(): void {}
  connect(): void {}
  /** The bench's phone hangs up (after measuring a call it placed). */
  hangUp(): void {
    this.offHook = false;
    this.listener?.({ type: 'onHook' });
  }
  dial(keys: string): void {
    this.offHook = true;
    this.listener?.({ type: 'offHook' });
    for (const digit of keys) this.listener?.({ type: 'digit', digit });
  }
}

const nullMedia: MediaFactory = {
  implementedCodecs: () => ['PCMU', 'PCMA'],
  create: (address, port): MediaSession => ({ localAddress: address, localPort: port, update() {}, sendDigit() {}, stop() {} }),
};

interface SippResult {
  rc: number;
  ok: number;
  failed: number;
  ms: number;
  setupMs: number | undefined;
}

/** Runs SIPp's load UAC: M calls at R cps to the users of `csv`, through the proxy. */
async function runLoad(dir: string, proxyPort: number, csv: string, calls: number, rate: number): Promise<SippResult> {
  const port = await freePort();
  const cp = await freePort();
  const mp = await freePort();
  const t0 = process.hrtime.bigint();
  let stderr = '';
  const rc = await new Promise<number>((resolve) => {
    const p = spawn('sipp', ['-sf', path.join(SCENARIOS, 'uac_load.xml'), '-inf', csv, `127.0.0.1:${proxyPort}`, '-i', '127.0.0.1', '-mi', '127.0.0.1', '-mp', String(mp), '-p', String(port),
      '-ci', '127.0.0.1', '-cp', String(cp), '-m', String(calls), '-r', String(rate), '-timer_resol', '1', '-l', String(rate * 2), '-d', String(HOLD_MS), '-nostdin', '-timeout', '30s', '-trace_stat', '-fd', '1', '-stf', path.join(dir, 'stat.csv'), ...(process.env.CALLS_BENCH_TRACE ? ['-trace_msg', '-trace_err'] : [])], { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
    p.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('exit', (code) => resolve(code ?? -1));
  });
  if (rc > 1) console.log(`SIPp load run failed (rc ${rc}): ${stderr.trim().slice(0, 500)}`);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const statFile = path.join(dir, 'stat.csv');
  const rows = fs.existsSync(statFile) ? fs.readFileSync(statFile, 'utf8').trim().split('\n') : [];
  const head = (rows[0] ?? '').split(';');
  const last = (rows[rows.length - 1] ?? '').split(';');
  const col = (name: string): string | undefined => last[head.indexOf(name)];
  const ok = Number(col('SuccessfulCall(C)') ?? 0);
  const failed = Number(col('FailedCall(C)') ?? 0);
  const rt = col('ResponseTime1(C)');
  const m = rt ? /(\d+):(\d+):(\d+):(\d+)/.exec(rt) : null;
  const setupMs = m ? Number(m[1]) * 3600_000 + Number(m[2]) * 60_000 + Number(m[3]) * 1000 + Number(m[4]) / 1000 : undefined;
  fs.rmSync(path.join(dir, 'stat.csv'), { force: true });
  return { rc, ok, failed, ms, setupMs };
}

function report(name: string, r: SippResult): number {
  const cps = (r.ok / r.ms) * 1000;
  console.log(`${name.padEnd(34)} ${String(r.ok).padStart(6)} ok ${String(r.failed).padStart(4)} failed  ${cps.toFixed(1).padStart(7)} calls/s  setup ${r.setupMs === undefined ? '?' : r.setupMs < 1 ? '<1' : r.setupMs.toFixed(0)} ms avg (SIPp's ms resolution)  (rc ${r.rc})`);
  return cps;
}

async function main(): Promise<void> {
  const units = Number(process.env.CALLS_BENCH_UNITS ?? 100);
  const calls = Number(process.env.CALLS_BENCH_CALLS ?? 2000);
  const rate = Number(process.env.CALLS_BENCH_RATE ?? 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-callbench-'));
  const kam = await startProxy(new Map([['9001', 'pw9001']]));
  const clock = new SystemClock();
  const random = new CryptoRandom();
  const accounts: Account[] = [];
  const lines: FxsLine[] = [];
  const phones: AutoPhone[] = [];
  const sippPeers: { kill(): void }[] = [];
  try {
    const t = sipContext(clock, { P271: '1', P47: `127.0.0.1:${kam.port}`, P35: 'x' });
    const template = readAccountConfig(t.ctx.store, 1, '1.0.0.1');
    t.cleanup();
    let registered = 0;
    for (let i = 0; i < units; i++) {
      const cfg: AccountConfig = { ...template, userId: `u${i}`, authId: `u${i}`, password: `pw${i}`, localPort: 0, randomPort: true };
      const a = new Account(1, {
        clock, random, log: silentLogger, dns: noDns, instanceSeed: `unit${i}`,
        openTransport: async (c) => {
          const tr = new SipTransports({ address: '127.0.0.1', port: c.randomPort ? 0 : c.localPort, listenTcp: false, clock, log: silentLogger });
          await tr.start();
          return tr;
        },
        onStatus: (s) => {
          if (s.state === 'registered') registered++;
        },
      });
      accounts.push(a);
      await a.start(cfg);
      const link = accountLink(a);
      if (!link) throw new Error('account has no core');
      const phone = new AutoPhone();
      const line = new FxsLine({
        lineNumber: 1, line: phone, media: nullMedia,
        signalling: new SipSignalling(link, () => readSignallingSettings(DEFAULTS), { clock, random, log: silentLogger }),
        dialPlan: new GrandstreamDialPlan(), params: DEFAULTS, features: new MemoryFeatureStore(), clock, random, log: silentLogger,
        mediaAddress: '127.0.0.1', rtpBasePort: 40000 + 8 * i, sdpUser: `u${i}`,
      });
      line.start();
      lines.push(line);
      phones.push(phone);
    }
    for (let i = 0; i < 400 && registered < units; i++) await new Promise((r) => setTimeout(r, 25));
    console.log(`fleet: ${units} units registered (${registered}) with Kamailio (record-routing); SIPp offers ${calls} calls at ${rate} cps round-robin over the units, ${HOLD_MS} ms each, no RTP`);

    // 1a. the fleet answers
    const unitsCsv = path.join(dir, 'units.csv');
    fs.writeFileSync(unitsCsv, 'SEQUENTIAL\n' + Array.from({ length: units }, (_, i) => `u${i};`).join('\n') + '\n');
    const ours = await runLoad(dir, kam.port, unitsCsv, calls, rate);
    const answered = phones.reduce((n, p) => n + p.answered, 0);
    if (process.env.CALLS_BENCH_TRACE) lines.forEach((l, i) => l.state !== 'idle' && console.log('stuck line', i, l.state, JSON.stringify(l.status()), (phones[i] as unknown as { offHook: boolean }).offHook));

    // 1b. SIPp's own UAS, registered as 9001, same load, same proxy
    const uasPort = await freePort();
    const reg = await new Promise<number>(async (resolve) => {
      const cp = await freePort();
      const p = spawn('sipp', ['-sf', path.join(SCENARIOS, 'reg_one.xml'), `127.0.0.1:${kam.port}`, '-s', '9001', '-au', '9001', '-ap', 'pw9001', '-i', '127.0.0.1', '-p', String(uasPort), '-ci', '127.0.0.1', '-cp', String(cp), '-m', '1', '-nostdin', '-timeout', '10s'], { stdio: 'ignore', cwd: dir });
      p.on('exit', (code) => resolve(code ?? -1));
    });
    if (reg !== 0) throw new Error(`SIPp UAS could not register (rc ${reg})`);
    const ucp = await freePort();
    const uas = spawn('sipp', ['-sf', path.join(SCENARIOS, 'uas_load.xml'), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-p', String(uasPort), '-ci', '127.0.0.1', '-cp', String(ucp), '-nostdin', '-timeout', '120s'], { stdio: 'ignore', cwd: dir });
    sippPeers.push(uas);
    await new Promise((r) => setTimeout(r, 300));
    const sippCsv = path.join(dir, 'sipp.csv');
    fs.writeFileSync(sippCsv, 'SEQUENTIAL\n9001;\n');
    const base = await runLoad(dir, kam.port, sippCsv, calls, rate);

    console.log(`answering (INVITE → 200 OK at SIPp, through Kamailio):`);
    const baseCps = report('  baseline: SIPp UAS (uas_load.xml)', base);
    const ourCps = report(`  ours: ${units} units' FXS lines`, ours);
    console.log(`  (our setup time includes the bench phone's ${ANSWER_MS} ms to answer; SIPp's UAS answers in its next loop turn)`);
    console.log(`  phones answered: ${answered}`);
    if (baseCps <= 0) throw new Error('the SIPp baseline completed no call: no ratio can be given');
    console.log(`  ratio calls/s ours/SIPp: ${(ourCps / baseCps).toFixed(2)}x (goal ≥ 0.8x)`);

    // 2. dialed → 200 OK on the phone side: unit 0 calls 9001 (SIPp's UAS) K times
    const K = Number(process.env.CALLS_BENCH_DIALS ?? 100);
    const line = lines[0] as FxsLine;
    const phone = phones[0] as AutoPhone;
    const times: number[] = [];
    const until = async (ok: () => boolean, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (!ok() && Date.now() < end) await new Promise((r) => setImmediate(r));
    };
    for (let k = 0; k < K; k++) {
      const t0 = process.hrtime.bigint();
      phone.dial('9001#');
      await until(() => line.state === 'talking' || line.state === 'failed', 3000);
      if (process.env.CALLS_BENCH_TRACE) console.log('dial', k, line.state, JSON.stringify(line.status().calls));
      if (line.state === 'talking') times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      phone.hangUp();
      await until(() => line.state === 'idle', 3000);
    }
    times.sort((a, b) => a - b);
    const pct = (p: number): string => (times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN).toFixed(2);
    console.log(`phone side: dialed (#) → 200 OK from SIPp uas via Kamailio: ${times.length}/${K} calls, p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
  } finally {
    for (const p of sippPeers) p.kill();
    for (const l of lines) l.stop();
    await Promise.all(accounts.map((a) => a.stop({ unregister: false })));
    await kam.stop();
    if (process.env.CALLS_BENCH_TRACE) console.log('traces kept in', dir);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
