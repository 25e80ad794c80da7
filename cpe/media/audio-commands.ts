/**
 * `ht813 audio tone|dtmf|callerid`: renders exactly what the unit's DSP puts on the line, as
 * an 8 kHz 16-bit mono WAV, so tones and caller ID can be checked by ear and by other tools.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command, ParsedArgs, CliIo } from '../cli/command';
import { intOption } from '../cli/args';
import { option, flag } from '../cli/command';
import { UsageError, DecodeError } from '../shared/errors';
import { renderTone, toneFromString } from './dsp/tone-generator';
import { renderDtmf, isDtmfDigit } from './dsp/dtmf-generator';
import { encodeWav } from './dsp/wav';
import { callerIdSequence, renderCidSequence, CID_SCHEMES } from './callerid/cid-sequence';
import { cidDateTime, type CallerId } from './callerid/cid-message';

function outPath(args: ParsedArgs, io: CliIo): string {
  const out = option(args, 'out');
  if (!out) throw new UsageError('say where to write the WAV: --out FILE');
  return path.resolve(io.cwd, out);
}

function write(io: CliIo, file: string, samples: Int16Array): number {
  writeFileSync(file, encodeWav(samples));
  io.stdout.write(`wrote ${file}: ${samples.length} samples (${samples.length / 8} ms), 8000 Hz 16-bit mono\n`);
  return 0;
}

function levelOption(args: ParsedArgs, name: string): number | undefined {
  const v = option(args, name);
  if (v === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(v) || Number(v) > 3 || Number(v) < -60) throw new UsageError(`--${name} must be a level in dBm0 from -60 to 3`);
  return Number(v);
}

export const audioToneCommand: Command = {
  usage: 'audio tone "<tone string>" [--ms N] --out FILE',
  summary: 'render a call-progress tone string (P4000-style) to a WAV',
  options: ['ms', 'out'],
  async run(args, io) {
    const s = args.positionals[0];
    if (s === undefined || args.positionals.length !== 1) throw new UsageError('give one tone string, e.g. "f1=350@-17,f2=440@-17,c=0/0;"');
    let def;
    try {
      def = toneFromString(s);
    } catch (e) {
      if (e instanceof DecodeError) throw new UsageError(`bad tone string: ${e.message}`);
      throw e;
    }
    return write(io, outPath(args, io), renderTone(def, intOption(args, 'ms', 1, 600_000) ?? 2000));
  },
};

export const audioDtmfCommand: Command = {
  usage: 'audio dtmf DIGITS [--on MS] [--off MS] [--level DBM0] --out FILE',
  summary: 'render DTMF digits (0-9 * # A-D) to a WAV',
  options: ['on', 'off', 'level', 'out'],
  async run(args, io) {
    const digits = args.positionals.join('');
    if (!digits) throw new UsageError('give the digits, e.g. 123#');
    const bad = [...digits].find((c) => !isDtmfDigit(c.toUpperCase()));
    if (bad !== undefined) throw new UsageError(`not a DTMF digit: ${JSON.stringify(bad)}`);
    const level = levelOption(args, 'level');
    const samples = renderDtmf(digits, {
      onMs: intOption(args, 'on', 20, 10_000) ?? 100,
      offMs: intOption(args, 'off', 0, 10_000) ?? 100,
      ...(level !== undefined ? { lowDbm0: level - 2, highDbm0: level } : {}),
    });
    return write(io, outPath(args, io), samples);
  },
};

const SCHEME_NAMES: Readonly<Record<string, number>> = {
  bellcore: 0,
  telcordia: 0,
  etsi: 1,
  'etsi-fsk': 1,
  'etsi-fsk-dtas': 2,
  'etsi-fsk-lr': 3,
  'etsi-fsk-rp': 4,
  'etsi-dtmf': 5,
  'etsi-dtmf-dtas': 6,
  'etsi-dtmf-lr': 7,
  'etsi-dtmf-rp': 8,
  sin227: 9,
  bt: 9,
  ntt: 10,
  'dtmf-denmark': 11,
  'dtmf-denmark-lr': 12,
  'dtmf-sweden': 13,
  'dtmf-brazil': 14,
  'dtmf-fsk-brazil': 15,
};

export const audioCallerIdCommand: Command = {
  usage: 'audio callerid --scheme bellcore|etsi|... |0-15 --number N [--name NAME] [--private] [--date MMDDHHMM] [--sdmf] --out FILE',
  summary: 'render the caller ID the FXS port sends (P853 scheme) to a WAV; rings are silence',
  options: ['scheme', 'number', 'name', 'date', 'ring-ms', 'out'],
  booleans: ['private', 'sdmf'],
  async run(args, io) {
    const s = option(args, 'scheme') ?? 'bellcore';
    const scheme = /^\d+$/.test(s) ? Number(s) : SCHEME_NAMES[s.toLowerCase()];
    if (scheme === undefined || CID_SCHEMES[scheme] === undefined) throw new UsageError(`unknown scheme ${s}: use a P853 value 0-15 or one of ${Object.keys(SCHEME_NAMES).join(', ')}`);
    const number = option(args, 'number');
    if (number !== undefined && !/^[0-9*#+]{1,20}$/.test(number)) throw new UsageError('--number takes up to 20 digits');
    const date = option(args, 'date') ?? cidDateTime(Date.now(), -new Date().getTimezoneOffset());
    if (!/^\d{8}$/.test(date)) throw new UsageError('--date must be MMDDHHMM');
    const name = option(args, 'name');
    const priv = flag(args, 'private');
    const cid: CallerId = {
      dateTime: date,
      ...(number && !priv ? { number } : { numberAbsent: priv ? 'P' : 'O' }),
      ...(name && !priv ? { name } : priv ? { nameAbsent: 'P' } : {}),
    };
    const steps = callerIdSequence(scheme, cid, { firstRingMs: intOption(args, 'ring-ms', 100, 10_000) ?? 2000, sdmf: flag(args, 'sdmf') });
    io.stdout.write(`scheme ${scheme} (${CID_SCHEMES[scheme]}): ${steps.map((x) => (x.kind === 'audio' ? x.what : x.kind === 'polarity-reversal' ? 'polarity-reversal' : `${x.kind} ${x.ms} ms`)).join(', ')}\n`);
    return write(io, outPath(args, io), renderCidSequence(steps));
  },
};
