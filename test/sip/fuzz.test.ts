/**
 * Fuzz: 100,000 seeded random mutations of valid messages. decodeMessage and the stream framer
 * throw nothing but DecodeError, whatever decodes re-encodes to something that decodes again, and
 * the 400 answer built for what does not decode is itself a well-formed response.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DecodeError } from '../../cpe/shared/errors';
import { SeededRandom } from '../../cpe/shared/random';
import { decodeMessage, encodeMessage, StreamFramer } from '../../cpe/voice/sip/syntax';
import { badRequestResponse } from '../../cpe/voice/sip/syntax/bad-request';

const DIR = path.join(__dirname, '..', 'golden', 'sip', 'valid');
const CASES = Number(process.env.SIP_FUZZ_CASES ?? 100_000);
const SPECIAL = ['"', '<', '>', ';', ':', ',', '\r\n', ' ', '\t', '\\', '@', '%', '[', ']', '=', '?', '\r\n ', '\x00', '\xff', '/', '0', '99999999999999999999'];

function mutate(r: SeededRandom, base: Buffer, corpus: Buffer[]): Buffer {
  let b = base;
  const n = 1 + r.int(4);
  for (let k = 0; k < n; k++) {
    const at = r.int(b.length + 1);
    switch (r.int(7)) {
      case 0: {
        const c = Buffer.from(b);
        if (c.length > 0) c[r.int(c.length)] = r.int(256);
        b = c;
        break;
      }
      case 1:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(SPECIAL[r.int(SPECIAL.length)] as string, 'latin1'), b.subarray(at)]);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + r.int(20)))]);
        break;
      case 3: {
        const len = r.int(40);
        b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]);
        break;
      }
      case 4:
        b = b.subarray(0, at);
        break;
      case 5: {
        const other = corpus[r.int(corpus.length)] as Buffer;
        const o = r.int(other.length);
        b = Buffer.concat([b.subarray(0, at), other.subarray(o, o + r.int(60)), b.subarray(at)]);
        break;
      }
      default:
        b = Buffer.concat([b.subarray(0, at), r.bytes(1 + r.int(8)), b.subarray(at)]);
    }
  }
  return b;
}

describe('sip fuzz', () => {
  const corpus = readdirSync(DIR).map((f) => readFileSync(path.join(DIR, f)));

  it(`${CASES} mutated messages: only DecodeError, and decoded messages re-encode`, function () {
    this.timeout(60_000);
    const r = new SeededRandom(4475);
    let decoded = 0;
    let answered = 0;
    for (let i = 0; i < CASES; i++) {
      const input = mutate(r, corpus[r.int(corpus.length)] as Buffer, corpus);
      let m;
      try {
        m = decodeMessage(input);
      } catch (e) {
        if (!(e instanceof DecodeError)) assert.fail(`case ${i} threw ${String(e)} on ${JSON.stringify(input.toString('latin1'))}`);
        // the 400 the transport would send: never a throw, never a malformed answer
        const answer = badRequestResponse(input, e.reason);
        if (answer) {
          answered++;
          const res = decodeMessage(answer);
          assert.equal(res.type, 'response', `case ${i}: the answer is not a response`);
        }
        continue;
      }
      decoded++;
      const again = encodeMessage(m);
      try {
        decodeMessage(again);
      } catch (e) {
        assert.fail(`case ${i}: re-encoded message does not decode (${String(e)}):\n${JSON.stringify(input.toString('latin1'))}\n${JSON.stringify(again.toString('latin1'))}`);
      }
    }
    assert.ok(decoded > CASES / 50, `too few mutations decoded (${decoded}); the fuzzer is not exercising the parser`);
    assert.ok(answered > CASES / 50, `too few malformed messages answered (${answered})`);
  });

  it('stream framer: random chunking of mutated streams throws only DecodeError', () => {
    const r = new SeededRandom(5626);
    for (let i = 0; i < 5000; i++) {
      const f = new StreamFramer();
      const stream = Buffer.concat([mutate(r, corpus[r.int(corpus.length)] as Buffer, corpus), Buffer.from('\r\n\r\n')]);
      try {
        for (let at = 0; at < stream.length; ) {
          const n = 1 + r.int(200);
          for (const fr of f.push(stream.subarray(at, at + n))) if (fr.kind === 'message') decodeOrDecodeError(fr.bytes);
          at += n;
        }
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    }
  });
});

function decodeOrDecodeError(b: Buffer): void {
  try {
    decodeMessage(b);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
}
