/**
 * Provisioning: decode + validate + apply of a 700-entry config file as XML and as binary (ms),
 * against the store applying the same batch with no file around it (baseline, same run); then
 * TFTP and HTTP fetches of a 64 KiB file on loopback from tftpd-hpa and nginx, against the `tftp`
 * and `curl` command-line clients fetching the same file in the same run (ratio).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ParamStore } from '../cpe/params/store';
import { ht813Catalogue } from '../cpe/params/catalogue';
import { checkValue } from '../cpe/params/validate';
import type { ParamDef } from '../cpe/params/types';
import { SystemClock } from '../cpe/shared/clock';
import { silentLogger } from '../cpe/shared/logger';
import { applyConfigFile } from '../cpe/provision/apply-config';
import { encodeXmlConfig } from '../cpe/provision/codec/xml-config';
import { encodeBinaryConfig } from '../cpe/provision/codec/binary-config';
import { decodeConfigFile } from '../cpe/provision/codec/config-file';
import type { ConfigEntry } from '../cpe/provision/codec/config-entries';
import { fetchUrl } from '../cpe/provision/fetch/fetch-url';
import { fmtMs } from './_report';
import { makeTestPki, publish, startNginx, startTftpd, tempDir } from '../test/provision/servers';

const MAC = '000b82123456';
const ENTRIES = 700;

/** A valid value other than the default where the type has one, so every apply changes something. */
function alternate(def: ParamDef, flip: boolean): string {
  // P240 on would make the next file authenticate against the P2 this one set (apply-config.ts)
  if (def.id === 240) return def.default;
  const t = def.type;
  const c: string[] = [];
  switch (t.kind) {
    case 'int': c.push(String(t.min), String(t.max)); break;
    case 'octet': c.push('1', '2'); break;
    case 'bool': c.push('0', '1'); break;
    case 'enum': c.push(...t.values.map((v) => v.value)); break;
    case 'string': c.push(t.charset === 'digits' ? '1234' : t.charset === 'hex' ? 'ab' : 'bench & <co>'); break;
    case 'password': c.push('Bench!pw'); break;
    case 'host': c.push('bench.example.com:5060'); break;
    case 'ipv4': c.push('10.0.0.1'); break;
    case 'text': c.push('bench text'); break;
    case 'mac': c.push('000b82000001'); break;
    default: break;
  }
  const ok = c.filter((v) => !checkValue(def, v));
  const alt = ok.find((v) => v !== def.default) ?? def.default;
  return flip ? alt : def.default;
}

function batch(flip: boolean): ConfigEntry[] {
  const writable = ht813Catalogue().entries.filter((d) => !d.readOnly);
  const out: ConfigEntry[] = writable.map((d) => [d.id, alternate(d, flip)]);
  // Fill up to 700 with P-numbers of other firmware (skipped, as in real files).
  for (let id = 90000; out.length < ENTRIES; id++) out.push([id, 'x']);
  return out.slice(0, ENTRIES);
}

function time(label: string, rounds: number, fn: (i: number) => void): number {
  for (let i = 0; i < 3; i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn(i);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
  console.log(`${label.padEnd(58)} ${fmtMs(ms).padStart(12)}/file`);
  return ms;
}

async function timeAsync(label: string, rounds: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
  console.log(`${label.padEnd(58)} ${fmtMs(ms).padStart(12)}/fetch`);
  return ms;
}

function ratio(a: number, b: number, what: string): void {
  console.log(`  → ${(a / b).toFixed(2)}x ${what}`);
}

async function codecs(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prov-bench-'));
  const store = ParamStore.open(dir, { clock: new SystemClock(), log: silentLogger, durability: 'normal' });
  try {
    const files = [false, true].map((flip) => {
      const entries = batch(flip);
      return { entries, xml: Buffer.from(encodeXmlConfig({ mac: MAC, entries })), bin: encodeBinaryConfig({ mac: MAC, entries }) };
    });
    console.log(`config file of ${ENTRIES} P-values: XML ${files[1]!.xml.length} bytes, binary ${files[1]!.bin.length} bytes; each round changes every known value`);
    const ctx = { store, mac: MAC, log: silentLogger };
    const rounds = 60;
    const base = time('baseline: store.apply of the same batch (no file)', rounds, (i) => {
      const r = store.apply(files[i % 2]!.entries, 'provision', { skipUnknown: true });
      if (!r.ok) throw new Error(r.errors[0]!.message);
    });
    const xml = time('XML: decode + validate + apply', rounds, (i) => {
      if (!applyConfigFile(files[i % 2]!.xml, ctx).ok) throw new Error('rejected');
    });
    ratio(xml, base, 'the bare apply');
    const bin = time('binary: decode + validate + apply', rounds, (i) => {
      if (!applyConfigFile(files[i % 2]!.bin, ctx).ok) throw new Error('rejected');
    });
    ratio(bin, base, 'the bare apply');
    time('XML decode only', rounds, (i) => decodeConfigFile(files[i % 2]!.xml, { mac: MAC }));
    time('binary decode only', rounds, (i) => decodeConfigFile(files[i % 2]!.bin, { mac: MAC }));
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function fetches(): Promise<void> {
  const file = randomBytes(64 * 1024);
  const pkiDir = tempDir('prov-bench-pki-');
  const tftp = await startTftpd();
  const nginx = await startNginx(makeTestPki(pkiDir), 'prov', 'provsecret').catch(async (e: unknown) => {
    await tftp.stop();
    throw e;
  });
  const out = path.join(pkiDir, 'out.bin');
  try {
    publish(tftp.root, { 'f64k.bin': file });
    publish(nginx.root, { 'f64k.bin': file });
    const opts = { timeoutMs: 10_000, maxBytes: 1 << 20 };
    const N = 100;
    const tftpUrl = new URL(`tftp://127.0.0.1:${tftp.port}/f64k.bin`);
    const httpUrl = new URL(`http://127.0.0.1:${nginx.port}/f64k.bin`);
    const check = (b: Buffer): void => {
      if (!b.equals(file)) throw new Error('fetched bytes differ');
    };
    console.log('\n64 KiB file on loopback, sequential fetches:');
    const ourTftp = await timeAsync('ours: TFTP (blksize 1428)', N, async () => check(await fetchUrl(tftpUrl, opts)));
    const cliTftp = await timeAsync('tftp-hpa client, one process per fetch', 30, async () => {
      spawnSync('tftp', ['-4', '127.0.0.1', String(tftp.port), '-m', 'binary', '-c', 'get', 'f64k.bin', out]);
    });
    const gets = Array.from({ length: N }, () => `get f64k.bin ${out}`).join('\n');
    const t0 = process.hrtime.bigint();
    spawnSync('tftp', ['-4', '127.0.0.1', String(tftp.port)], { input: `binary\n${gets}\nquit\n` });
    const amortTftp = Number(process.hrtime.bigint() - t0) / 1e6 / N;
    console.log(`${'tftp-hpa client, one process for all fetches (512-byte blocks)'.padEnd(58)} ${fmtMs(amortTftp).padStart(12)}/fetch`);
    check(fs.readFileSync(out));
    ratio(ourTftp, cliTftp, 'the time of tftp per process');
    ratio(ourTftp, amortTftp, 'the time of tftp in one process');

    const ourHttp = await timeAsync('ours: HTTP', N, async () => check(await fetchUrl(httpUrl, opts)));
    const cliHttp = await timeAsync('curl, one process per fetch', 30, async () => {
      spawnSync('curl', ['-s', '-o', out, httpUrl.href]);
    });
    const urls = Array.from({ length: N }, () => ['-o', out, '-H', 'Connection: close', httpUrl.href]).flat();
    const t1 = process.hrtime.bigint();
    spawnSync('curl', ['-s', ...urls]);
    const amortHttp = Number(process.hrtime.bigint() - t1) / 1e6 / N;
    console.log(`${'curl, one process for all fetches (a connection each)'.padEnd(58)} ${fmtMs(amortHttp).padStart(12)}/fetch`);
    check(fs.readFileSync(out));
    ratio(ourHttp, cliHttp, 'the time of curl per process');
    ratio(ourHttp, amortHttp, 'the time of curl in one process');
  } finally {
    await tftp.stop();
    await nginx.stop();
    fs.rmSync(pkiDir, { recursive: true, force: true });
  }
}

void (async () => {
  await codecs();
  await fetches();
})().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
