import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  callerIdFromMessage,
  callerIdToMdmf,
  callerIdToSdmf,
  cidDateTime,
  decodeCidMessage,
  encodeCidMessage,
  mwiFromMessage,
  mwiToMdmf,
  type CidMessage,
} from '../../cpe/media/callerid/cid-message';
import { CidReceiver, receiveCallerId } from '../../cpe/media/callerid/cid-receiver';
import { callerIdSequence, callWaitingFsk, renderCidSequence } from '../../cpe/media/callerid/cid-sequence';
import { decodeDtmfCallerId, dtmfCidDigits, renderDtmfCallerId } from '../../cpe/media/callerid/cid-dtmf';
import { fskBurst, FskDemodulator, uartBits } from '../../cpe/media/dsp/fsk-modem';
import { clip16, concatSamples, dbm0ToPeak } from '../../cpe/media/dsp/audio';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { DecodeError } from '../../cpe/shared/errors';
import { SeededRandom } from '../../cpe/shared/random';

interface Golden {
  name: string;
  hex: string;
  message?: Record<string, unknown>;
  callerId?: Record<string, unknown>;
  mwi?: boolean;
}
const GOLDEN: Golden[] = JSON.parse(readFileSync(path.join(__dirname, '../golden/media/callerid-frames.json'), 'utf8'));

function withNoise(x: Int16Array, dbm0: number, seed: number): Int16Array {
  const r = new SeededRandom(seed);
  const s = dbm0ToPeak(dbm0) / Math.SQRT2;
  return Int16Array.from(x, (v) => clip16(v + s * Math.sqrt(-2 * Math.log(1 - r.float())) * Math.cos(2 * Math.PI * r.float())));
}

describe('media caller ID frames (golden)', () => {
  for (const g of GOLDEN) {
    it(`${g.name}: decode, then encode gives the same bytes`, () => {
      const bytes = Buffer.from(g.hex, 'hex');
      const { message, used } = decodeCidMessage(bytes);
      assert.equal(used, bytes.length);
      if (g.message) assert.deepEqual(message, g.message);
      if (g.callerId) assert.deepEqual(callerIdFromMessage(message), g.callerId);
      if (g.mwi !== undefined) assert.equal(mwiFromMessage(message), g.mwi);
      assert.equal(encodeCidMessage(message).toString('hex'), g.hex);
    });
  }
  it('encoders build the golden MDMF frames from a CallerId', () => {
    const g = GOLDEN.find((x) => x.name === 'bellcore-mdmf-number-name')!;
    assert.equal(encodeCidMessage(callerIdToMdmf({ dateTime: '03240900', number: '6145551212', name: 'JOHN DOE' })).toString('hex'), g.hex);
    const p = GOLDEN.find((x) => x.name === 'bellcore-mdmf-private')!;
    assert.equal(encodeCidMessage(callerIdToMdmf({ dateTime: '12312359', numberAbsent: 'P', nameAbsent: 'P' })).toString('hex'), p.hex);
    const s = GOLDEN.find((x) => x.name === 'bellcore-sdmf-gr30-example')!;
    assert.equal(encodeCidMessage(callerIdToSdmf({ dateTime: '09301224', number: '6095551212' })).toString('hex'), s.hex);
  });
  const bad: [string, string, string][] = [
    ['truncated', '0412303933', 'truncated'],
    ['checksum', '041230393330313232343630393535353132313250', 'checksum'],
    ['unknown type', '0501003a'.slice(0, 6) + 'fa', 'unknown'],
    ['MDMF parameter overrun', '800302053132' + '00', 'checksum'],
  ];
  for (const [name, hex, reason] of bad) {
    it(`rejects ${name} with a DecodeError`, () => {
      assert.throws(() => decodeCidMessage(Buffer.from(hex, 'hex')), (e: unknown) => e instanceof DecodeError && e.reason.includes(reason));
    });
  }
  it('cidDateTime formats MMDDHHMM with a zone offset', () => {
    assert.equal(cidDateTime(Date.UTC(2026, 10, 24, 16, 5), 0), '11241605');
    assert.equal(cidDateTime(Date.UTC(2026, 10, 24, 23, 30), 60), '11250030');
  });
});

describe('media FSK modem', () => {
  it('uart framing is start 0, LSB first, stop 1', () => {
    assert.deepEqual(uartBits([0x04]), [0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  });
  it('Bell 202 carries mark at 1200 Hz and space at 2200 Hz', () => {
    const mark = fskBurst([], { standard: 'bell202', seizureBits: 0, markBits: 120 });
    assert.ok(toneAmplitude(mark, 0, 800, 1200) > 20 * toneAmplitude(mark, 0, 800, 2200));
  });
  const payload = encodeCidMessage(callerIdToMdmf({ dateTime: '11241605', number: '6265551234', name: 'A B' }));
  const table: [string, 'bell202' | 'v23', number, number | undefined][] = [
    ['Bell 202 at −13 dBm0', 'bell202', -13, undefined],
    ['V.23 at −13 dBm0', 'v23', -13, undefined],
    ['Bell 202 at −35 dBm0 (weak)', 'bell202', -35, undefined],
    ['Bell 202 with noise at 20 dB SNR', 'bell202', -13, -33],
    ['V.23 with noise at 20 dB SNR', 'v23', -13, -33],
  ];
  for (const [name, std, level, noiseDbm0] of table) {
    it(`round trip: ${name}`, () => {
      let x = concatSamples([new Int16Array(4000), fskBurst(payload, { standard: std, seizureBits: 300, markBits: 180, dbm0: level }), new Int16Array(800)]);
      if (noiseDbm0 !== undefined) x = withNoise(x, noiseDbm0, 3);
      const msgs = receiveCallerId(x, std);
      assert.equal(msgs.length, 1);
      assert.deepEqual(callerIdFromMessage(msgs[0]!), { dateTime: '11241605', number: '6265551234', name: 'A B' });
    });
  }
  it('a signal below the minimum level (P845) decodes nothing; a V.23 receiver also reads Bell 202 (tones 100 Hz apart)', () => {
    const x = fskBurst(payload, { standard: 'bell202', seizureBits: 300, markBits: 180, dbm0: -13 });
    assert.equal(receiveCallerId(x, 'v23').length, 1);
    assert.equal(receiveCallerId(x, 'bell202', { minDbm0: -10 }).length, 0);
    const weak = fskBurst(payload, { standard: 'bell202', seizureBits: 300, markBits: 180, dbm0: -50 });
    assert.equal(receiveCallerId(weak, 'bell202').length, 0);
  });
  it('demodulates streamed 20 ms frames, and counts a corrupted message instead of throwing', () => {
    const bytes = Buffer.from(payload);
    bytes[5] = bytes[5]! ^ 0x01; // breaks the checksum
    const x = fskBurst(bytes, { standard: 'bell202', seizureBits: 300, markBits: 180 });
    const rx = new CidReceiver('bell202');
    const got: CidMessage[] = [];
    for (let i = 0; i < x.length; i += 160) got.push(...rx.push(x.subarray(i, i + 160)));
    assert.equal(got.length, 0);
    assert.equal(rx.stats.checksumErrors, 1);
  });
  it('a seizure requirement (P846) takes bursts with that much channel seizure, clean or noisy, and nothing without it', () => {
    const burst = (seizureBits: number, noise?: number): Int16Array => {
      const x = concatSamples([new Int16Array(800), fskBurst(payload, { standard: 'bell202', seizureBits, markBits: 180, dbm0: -13 }), new Int16Array(800)]);
      return noise === undefined ? x : withNoise(x, noise, 7);
    };
    const need70 = { huntSeizureBits: 70, huntMarkBits: 40 };
    assert.equal(receiveCallerId(burst(300), 'bell202', need70).length, 1, '300 seizure bits');
    assert.equal(receiveCallerId(burst(300, -33), 'bell202', need70).length, 1, '300 seizure bits, 20 dB SNR');
    assert.equal(receiveCallerId(burst(80), 'bell202', need70).length, 1, '80 seizure bits');
    assert.equal(receiveCallerId(burst(40), 'bell202', need70).length, 0, '40 seizure bits are too few');
    assert.equal(receiveCallerId(burst(0), 'bell202', need70).length, 0, 'no seizure');
    assert.equal(receiveCallerId(burst(0), 'bell202', { huntSeizureBits: 0, huntMarkBits: 40 }).length, 1, 'P846 = 0 needs none');
    const v23 = fskBurst(payload, { standard: 'v23', seizureBits: 300, markBits: 180, dbm0: -13 });
    assert.equal(receiveCallerId(v23, 'v23', need70).length, 1, 'V.23 with seizure');
  });
  it('raw demodulator returns the framed bytes', () => {
    const x = fskBurst([0x55, 0x00, 0xff, 0x80], { standard: 'v23', seizureBits: 0, markBits: 30 });
    assert.deepEqual(new FskDemodulator('v23').push(x), [0x55, 0x00, 0xff, 0x80]);
  });
});

describe('media caller ID sequences and DTMF caller ID', () => {
  const cid = { dateTime: '11241605', number: '6265551234', name: 'A B' };
  it('Bellcore (P853=0): first ring, 500 ms, Bell 202 MDMF decodable by a phone', () => {
    const steps = callerIdSequence(0, cid);
    assert.deepEqual(steps.slice(0, 2), [{ kind: 'ring', ms: 2000 }, { kind: 'silence', ms: 500 }]);
    const audio = renderCidSequence(steps);
    assert.deepEqual(callerIdFromMessage(receiveCallerId(audio, 'bell202')[0]!), cid);
  });
  it('ETSI prior to ringing with DT-AS (P853=2): dual tone 2130+2750 Hz, then V.23', () => {
    const steps = callerIdSequence(2, cid);
    const first = steps[0]!;
    assert.equal(first.kind, 'audio');
    if (first.kind === 'audio') {
      assert.ok(toneAmplitude(first.samples, 0, 800, 2130) > 1000 && toneAmplitude(first.samples, 0, 800, 2750) > 1000);
    }
    assert.deepEqual(callerIdFromMessage(receiveCallerId(renderCidSequence(steps), 'v23')[0]!), cid);
  });
  it('SDMF option sends the number only', () => {
    const got = receiveCallerId(renderCidSequence(callerIdSequence(0, cid, { sdmf: true })), 'bell202');
    assert.deepEqual(got[0], { kind: 'sdmf-call', dateTime: '11241605', number: '6265551234' });
  });
  it('LR schemes reverse polarity first', () => {
    assert.equal(callerIdSequence(3, cid)[0]!.kind, 'polarity-reversal');
    assert.equal(callerIdSequence(9, cid)[0]!.kind, 'polarity-reversal');
  });
  it('DTMF caller ID: A<number>C by default, P4661/P4662 choices, withheld numbers', () => {
    assert.equal(dtmfCidDigits('6265551234'), 'A6265551234C');
    assert.equal(dtmfCidDigits(undefined, 'P'), 'B10C');
    assert.deepEqual(decodeDtmfCallerId(renderDtmfCallerId('0123456789')), { number: '0123456789', digits: 'A0123456789C' });
    assert.deepEqual(decodeDtmfCallerId(renderDtmfCallerId(undefined, 'P')).absent, 'P');
    const steps = callerIdSequence(5, { number: '4711' }, { dtmfStart: 4, dtmfStop: 5 });
    assert.equal(decodeDtmfCallerId(renderCidSequence(steps)).digits, 'D4711#');
  });
  it('call waiting FSK (type 2) has no seizure and decodes', () => {
    const x = callWaitingFsk(cid);
    assert.ok(x.length < (80 + 10 * 40) * 7);
    assert.deepEqual(callerIdFromMessage(receiveCallerId(x, 'bell202')[0]!), cid);
  });
  it('visual MWI over FSK round trip', () => {
    const x = fskBurst(encodeCidMessage(mwiToMdmf(true, 2)), { standard: 'bell202', seizureBits: 300, markBits: 180 });
    assert.equal(mwiFromMessage(receiveCallerId(x, 'bell202')[0]!), true);
  });
});
