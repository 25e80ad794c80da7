/**
 * `ht813 audio ...` output checked by tools we did not write: ffmpeg reads the WAV (and
 * resamples it to 22.05 kHz), multimon-ng decodes its DTMF and caller ID (CLIPFSK).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../cpe/cli/main';
import { decodeWav } from '../../cpe/media/dsp/wav';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { peakToDbm0 } from '../../cpe/media/dsp/audio';

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(argv, { stdout, stderr, cwd });
  return { code, out, err };
}

/** multimon-ng lines for a WAV (via ffmpeg to 22050 Hz raw, multimon-ng's native rate). */
function multimon(wav: string, demod: string): string[] {
  const raw = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', wav, '-ar', '22050', '-ac', '1', '-f', 's16le', '-']);
  return execFileSync('multimon-ng', ['-q', '-t', 'raw', '-c', '-a', demod, '-'], { input: raw }).toString().trim().split('\n').filter(Boolean);
}

describe('media CLI: ht813 audio tone|dtmf|callerid (checked with ffmpeg and multimon-ng)', function () {
  this.timeout(30_000);
  let dir = '';
  before(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'audio-cli-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('audio tone writes the dial tone: 2 s, 350 + 440 Hz at −17 dBm0, ffprobe agrees on the format', async () => {
    const r = await run(['audio', 'tone', 'f1=350@-17,f2=440@-17,c=0/0;', '--ms', '2000', '--out', 'dial.wav'], dir);
    assert.equal(r.code, 0, r.err);
    const wav = decodeWav(readFileSync(path.join(dir, 'dial.wav')));
    assert.equal(wav.samples.length, 16000);
    for (const f of [350, 440]) assert.ok(Math.abs(peakToDbm0(toneAmplitude(wav.samples, 0, 8000, f)) + 17) < 0.5);
    const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,sample_rate,channels', '-of', 'csv=p=0', path.join(dir, 'dial.wav')]).toString().trim();
    assert.equal(probe, 'pcm_s16le,8000,1');
  });
  it('audio dtmf: multimon-ng hears 123#ABCD*0', async () => {
    const r = await run(['audio', 'dtmf', '123#ABCD*0', '--out', 'd.wav'], dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(multimon(path.join(dir, 'd.wav'), 'DTMF'), [...'123#ABCD*0'].map((d) => `DTMF: ${d}`));
  });
  const cid: [string, string[], string][] = [
    ['bellcore MDMF', ['--scheme', 'bellcore'], 'CLIPFSK: CS DATE=11241605 CID=6265551234 CNT=A B'],
    ['ETSI FSK with DT-AS (P853=2)', ['--scheme', '2'], 'CLIPFSK: CS DATE=11241605 CID=6265551234 CNT=A B'],
    ['SIN 227', ['--scheme', 'sin227'], 'CLIPFSK: CS DATE=11241605 CID=6265551234 CNT=A B'],
  ];
  for (const [name, extra, expected] of cid) {
    it(`audio callerid ${name}: multimon-ng decodes the frame`, async () => {
      const r = await run(['audio', 'callerid', ...extra, '--number', '6265551234', '--name', 'A B', '--date', '11241605', '--out', 'cid.wav'], dir);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(multimon(path.join(dir, 'cid.wav'), 'CLIPFSK'), [expected]);
    });
  }
  it('audio callerid --private: multimon-ng reads both absence reasons as P (private)', async () => {
    const r = await run(['audio', 'callerid', '--scheme', 'bellcore', '--private', '--date', '11241605', '--out', 'p.wav'], dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(multimon(path.join(dir, 'p.wav'), 'CLIPFSK'), ['CLIPFSK: CS DATE=11241605 RACLI=P Private (CLIR involved) RACNT=P Private (CLIR involved)']);
  });
  it('audio callerid with a DTMF scheme: multimon-ng hears A<number>C', async () => {
    const r = await run(['audio', 'callerid', '--scheme', 'etsi-dtmf', '--number', '4711', '--out', 'c.wav'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(multimon(path.join(dir, 'c.wav'), 'DTMF').map((l) => l.slice(-1)).join(''), 'A4711C');
  });
  it('bad input: usage errors with exit code 2 and a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['audio', 'tone', 'f1=5000@-17;', '--out', 'x.wav'], /frequency 5000 Hz out of range/],
      [['audio', 'tone', 'f1=350@-17;'], /--out FILE/],
      [['audio', 'dtmf', '12x', '--out', 'x.wav'], /not a DTMF digit/],
      [['audio', 'callerid', '--scheme', 'martian', '--out', 'x.wav'], /unknown scheme/],
      [['audio', 'callerid', '--number', 'abc', '--out', 'x.wav'], /--number/],
    ];
    for (const [argv, msg] of cases) {
      const r = await run(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, msg);
    }
  });
});
