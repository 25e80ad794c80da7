import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { alawDecode, alawEncode, decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw, ulawDecode, ulawEncode } from '../../cpe/media/codecs/g711';

const G = JSON.parse(readFileSync(path.join(__dirname, '../golden/media/g711-tables.json'), 'utf8')) as {
  ulawDecode: number[];
  alawDecode: number[];
  ulawEncodeAllFromMinus32768: string;
  alawEncodeAllFromMinus32768: string;
};

describe('media G.711 (golden tables)', () => {
  it('µ-law decode: all 256 codes match the reference table', () => {
    assert.deepEqual(Array.from({ length: 256 }, (_, c) => ulawDecode(c)), G.ulawDecode);
  });
  it('A-law decode: all 256 codes match the reference table', () => {
    assert.deepEqual(Array.from({ length: 256 }, (_, c) => alawDecode(c)), G.alawDecode);
  });
  it('µ-law encode: every 16-bit sample matches the reference', () => {
    const all = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    assert.equal(Buffer.from(encodeUlaw(all)).toString('hex'), G.ulawEncodeAllFromMinus32768);
  });
  it('A-law encode: every 16-bit sample matches the reference', () => {
    const all = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
    assert.equal(Buffer.from(encodeAlaw(all)).toString('hex'), G.alawEncodeAllFromMinus32768);
  });
  it('known points: silence codes and full scale (G.711 Tables 2a/2b)', () => {
    assert.equal(ulawEncode(0), 0xff);
    assert.equal(alawEncode(0), 0xd5);
    assert.equal(ulawDecode(0x00), -32124);
    assert.equal(ulawDecode(0x80), 32124);
    assert.equal(alawDecode(0xaa), 32256);
  });
  it('decode → encode is the identity on codes (µ-law 0x7F/0xFF both mean zero)', () => {
    for (let c = 0; c < 256; c++) {
      assert.equal(alawEncode(alawDecode(c)), c);
      if (c !== 0x7f) assert.equal(ulawEncode(ulawDecode(c)), c);
    }
    assert.deepEqual(decodeUlaw(encodeUlaw(Int16Array.of(1000, -1000))), Int16Array.of(988, -988));
    assert.deepEqual(decodeAlaw(encodeAlaw(Int16Array.of(1000))), Int16Array.of(1008));
  });
});
