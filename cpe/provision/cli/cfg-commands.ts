/**
 * Operator tools for config files: `ht813 cfg encode`, `cfg decode`, `cfg export`. The same
 * codecs as the unit uses; nothing here parses a format of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError, DecodeError } from '../../shared/errors';
import { ht813Catalogue } from '../../params/catalogue';
import { flag, option, type CliIo, type Command, type ParsedArgs } from '../../cli/command';
import { runRequest } from '../../cli/control-client';
import { dataDir, reportFailure } from '../../cli/commands/common';
import { decodePValueLines, encodePValueLines, macHex, type ConfigEntries } from '../codec/config-entries';
import { encodeBinaryConfig } from '../codec/binary-config';
import { decodeXmlConfig, encodeXmlConfig, looksLikeXml } from '../codec/xml-config';
import { encryptConfig } from '../codec/encrypted-config';
import { decodeConfigFile } from '../codec/config-file';
import { exportEntries } from '../export-config';

type Format = 'binary' | 'xml';

function format(args: ParsedArgs, dflt?: Format): Format {
  const f = option(args, 'format') ?? dflt;
  if (f !== 'binary' && f !== 'xml') throw new UsageError('--format must be binary or xml');
  return f;
}

function mac(args: ParsedArgs): string | undefined {
  const m = option(args, 'mac');
  if (m === undefined) return undefined;
  try {
    return macHex(m);
  } catch {
    throw new UsageError(`--mac: not a MAC address: ${m}`);
  }
}

function readInput(file: string, io: CliIo): Buffer {
  const p = path.resolve(io.cwd, file);
  try {
    return fs.readFileSync(p);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Encodes entries as a file; `password` encrypts an XML file as `openssl enc -aes-256-cbc -md md5` would. */
function encodeFile(entries: ConfigEntries, fmt: Format, unitMac: string | undefined, password: string | undefined): Buffer {
  if (fmt === 'binary') {
    if (unitMac === undefined) throw new UsageError('a binary cfg file needs --mac (it is written into the header)');
    if (password !== undefined) throw new UsageError('--encrypt applies to XML files only');
    return encodeBinaryConfig({ mac: unitMac, entries });
  }
  const text = Buffer.from(encodeXmlConfig(unitMac === undefined ? { entries } : { mac: unitMac, entries }), 'utf8');
  return password === undefined ? text : encryptConfig(text, password, randomBytes(8), 'md5');
}

function writeOutput(out: string | undefined, data: Buffer, io: CliIo): void {
  if (out === undefined) {
    io.stdout.write(data);
    return;
  }
  fs.writeFileSync(path.resolve(io.cwd, out), data);
}

export const cfgEncodeCommand: Command = {
  usage: 'cfg encode IN --format binary|xml [--mac M] [--encrypt PASSWORD] --out FILE',
  summary: 'make a config file from an XML file or Pn=value lines (binary needs --mac)',
  options: ['format', 'mac', 'encrypt', 'out'],
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('give one input file (XML, or Pn=value lines)');
    const input = readInput(args.positionals[0]!, io);
    const fmt = format(args);
    const out = option(args, 'out');
    if (out === undefined) throw new UsageError('--out FILE is required');
    const password = option(args, 'encrypt');
    if (password === '') throw new UsageError('--encrypt needs a password');
    let entries: ConfigEntries;
    try {
      entries = looksLikeXml(input) ? decodeXmlConfig(input).entries : decodePValueLines(input.toString('utf8'));
    } catch (e) {
      if (e instanceof DecodeError) {
        io.stderr.write(`${args.positionals[0]}: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    const data = encodeFile(entries, fmt, mac(args), password);
    writeOutput(out, data, io);
    io.stdout.write(`${entries.length} P-values → ${out} (${fmt}${password !== undefined ? ', encrypted' : ''}, ${data.length} bytes)\n`);
    return 0;
  },
};

export const cfgDecodeCommand: Command = {
  usage: 'cfg decode FILE [--mac M] [--password P]',
  summary: 'print the Pn=value lines of a binary, XML or encrypted XML config file',
  options: ['mac', 'password'],
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('give one config file');
    const bytes = readInput(args.positionals[0]!, io);
    try {
      const unitMac = mac(args);
      const password = option(args, 'password');
      const d = decodeConfigFile(bytes, { ...(unitMac !== undefined ? { mac: unitMac } : {}), ...(password !== undefined ? { password } : {}) });
      io.stdout.write(encodePValueLines(d.entries));
      io.stderr.write(`${d.format}${d.mac ? ` for ${d.mac}` : ''}${d.digest ? ` (key derivation ${d.digest})` : ''}: ${d.entries.length} P-values\n`);
      return 0;
    } catch (e) {
      if (e instanceof DecodeError) {
        io.stderr.write(`${args.positionals[0]}: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  },
};

export const cfgExportCommand: Command = {
  usage: 'cfg export [--format xml|binary] [--with-secrets] [--encrypt PASSWORD] [--out FILE]',
  summary: "write the unit's settings as a config file (secrets left out unless --with-secrets)",
  options: ['format', 'with-secrets', 'encrypt', 'out', 'mac'],
  booleans: ['with-secrets'],
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const dir = dataDir(args, io);
    const fmt = format(args, 'xml');
    const withSecrets = flag(args, 'with-secrets');
    const unitMac = mac(args) ?? unitMacOf(dir);
    const resp = await runRequest(dir, { op: 'export', withSecrets });
    if (!resp.ok) return reportFailure(resp, io);
    const { entries, omittedSecrets } = exportEntries(resp.values ?? [], ht813Catalogue(), withSecrets);
    const data = encodeFile(entries, fmt, unitMac, option(args, 'encrypt'));
    writeOutput(option(args, 'out'), data, io);
    if (omittedSecrets.length > 0) io.stderr.write(`${omittedSecrets.length} secret P-values left out (--with-secrets to include them)\n`);
    return 0;
  },
};

/** The unit's MAC from its identity file, when the folder has one (never creates it). */
function unitMacOf(dir: string): string | undefined {
  try {
    const id = JSON.parse(fs.readFileSync(path.join(dir, 'identity.json'), 'utf8')) as { mac?: unknown };
    return typeof id.mac === 'string' && /^[0-9a-f]{12}$/.test(id.mac) ? id.mac : undefined;
  } catch {
    return undefined;
  }
}
