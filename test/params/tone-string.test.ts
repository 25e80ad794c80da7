import assert from 'node:assert/strict';
import { CATALOGUE } from '../../cpe/params/catalogue/index';
import { DecodeError } from '../../cpe/shared/errors';
import {
  decodeCadence,
  decodeToneString,
  encodeCadence,
  encodeToneString,
  isContinuous,
  playableSegments,
  toneLevel,
  DEFAULT_TONE_LEVEL_DBM,
  type ToneSpec,
} from '../../cpe/params/syntax/tone-string';

/** Reference §1.5 defaults (P4002 with 620, see the catalogue note) and §7 forms. */
const GOLDEN: Array<[string, ToneSpec]> = [
  ['f1=350@-17,f2=440@-17,c=0/0;', { frequencies: [{ hz: 350, dbm: -17 }, { hz: 440, dbm: -17 }], cadence: [{ onMs: 0, offMs: 0 }] }],
  ['f1=440@-17,f2=480@-17,c=2000/4000;', { frequencies: [{ hz: 440, dbm: -17 }, { hz: 480, dbm: -17 }], cadence: [{ onMs: 2000, offMs: 4000 }] }],
  ['f1=480@-21,f2=620@-21,c=500/500;', { frequencies: [{ hz: 480, dbm: -21 }, { hz: 620, dbm: -21 }], cadence: [{ onMs: 500, offMs: 500 }] }],
  ['f1=480@-21,f2=620@-21,c=250/250;', { frequencies: [{ hz: 480, dbm: -21 }, { hz: 620, dbm: -21 }], cadence: [{ onMs: 250, offMs: 250 }] }],
  [
    'f1=350@-11,f2=440@-11,c=100/100-100/100-100/100;',
    {
      frequencies: [{ hz: 350, dbm: -11 }, { hz: 440, dbm: -11 }],
      cadence: [{ onMs: 100, offMs: 100 }, { onMs: 100, offMs: 100 }, { onMs: 100, offMs: 100 }],
    },
  ],
  ['f1=440@-13,c=300/10000;', { frequencies: [{ hz: 440, dbm: -13 }], cadence: [{ onMs: 300, offMs: 10000 }] }],
  ['f1=480@-32,f2=620@-32,c=500/500;', { frequencies: [{ hz: 480, dbm: -32 }, { hz: 620, dbm: -32 }], cadence: [{ onMs: 500, offMs: 500 }] }],
  ['f1=425@-15,c=600/600;', { frequencies: [{ hz: 425, dbm: -15 }], cadence: [{ onMs: 600, offMs: 600 }] }],
  // older HT50x 3-segment call waiting tone (reference §7)
  [
    'f1=440@-13,c=300/10000-300/10000-0/0;',
    { frequencies: [{ hz: 440, dbm: -13 }], cadence: [{ onMs: 300, offMs: 10000 }, { onMs: 300, offMs: 10000 }, { onMs: 0, offMs: 0 }] },
  ],
  // no level, no cadence; range edges
  ['f1=300;', { frequencies: [{ hz: 300 }] }],
  ['f1=3400@0,f2=300@-60,c=64000/0;', { frequencies: [{ hz: 3400, dbm: 0 }, { hz: 300, dbm: -60 }], cadence: [{ onMs: 64000, offMs: 0 }] }],
];

/** Accepted inputs in non-canonical form → canonical output. */
const LENIENT: Array<[string, string]> = [
  [' f1 = 350 @ -17 , f2 = 440 @ -17 , c = 0/0 ; ', 'f1=350@-17,f2=440@-17,c=0/0;'],
  ['f1=440@-13,c=300/10000', 'f1=440@-13,c=300/10000;'],
  ['F1=440,C=1/2;', 'f1=440,c=1/2;'],
  ['f1=440, c=300 / 10000 - 300 / 10000', 'f1=440,c=300/10000-300/10000;'],
];

const BAD: Array<[string, RegExp]> = [
  ['', /empty tone string/],
  ['   ', /empty tone string/],
  ['f1=5000', /frequency 5000 Hz out of range 300-3400/],
  ['f1=299@-17', /frequency 299 Hz out of range 300-3400/],
  ['f1=0', /frequency 0 Hz out of range/],
  ['f1=350,f2=4000@-17', /frequency 4000 Hz/],
  ['f1=350@-70', /level -70 dBm out of range -60 to 0/],
  ['f1=350@5', /level 5 dBm out of range/],
  ['f1=350@-17.5', /expected <Hz>\[@<dBm>\]/],
  ['f1=350Hz', /expected <Hz>/],
  ['f1=35 0', /space inside a number/],
  ['f2=440', /f2 without f1/],
  ['f1=350,f1=440', /duplicate f1/],
  ['f1=350,f2=440,f2=480', /duplicate f2/],
  ['f3=350', /expected f1=, f2= or c=/],
  ['c=0/0;', /a tone needs f1=<Hz>/],
  ['c=100/100,f1=350', /after c=: the cadence must come last/],
  ['f1=350,c=100/100-100/100-100/100-100/100', /more than 3 cadence segments/],
  ['f1=350,c=70000/100', /cadence on time 70000 ms out of range 0-64000/],
  ['f1=350,c=100/64001', /cadence off time 64001 ms out of range 0-64000/],
  ['f1=350,c=100', /expected <on ms>\/<off ms>/],
  ['f1=350,c=-100/100', /expected <on ms>\/<off ms>/],
  ['f1=350,c=', /c= has no value/],
  ['f1=350;f2=440', /unexpected text after ';'/],
  ['f1=', /f1= has no value/],
];

describe('tone string (reference §7)', () => {
  it('decodes and re-encodes golden strings identically', () => {
    for (const [text, spec] of GOLDEN) {
      assert.deepEqual(decodeToneString(text), spec, text);
      assert.equal(encodeToneString(spec), text, text);
    }
  });

  it('round-trips every tone default of the catalogue', () => {
    const tones = CATALOGUE.filter((d) => d.type.kind === 'tone');
    assert.ok(tones.length >= 9);
    for (const d of tones) assert.equal(encodeToneString(decodeToneString(d.default)), d.default, `P${d.id}`);
  });

  it('accepts whitespace, a missing ";" and upper-case keys', () => {
    for (const [input, canonical] of LENIENT) assert.equal(encodeToneString(decodeToneString(input)), canonical, input);
  });

  it('rejects bad strings with a DecodeError naming the fault', () => {
    for (const [input, reason] of BAD) {
      assert.throws(
        () => decodeToneString(input),
        (e: unknown) => e instanceof DecodeError && reason.test(e.reason) && e.position !== undefined,
        input,
      );
    }
  });

  it('reports the position of the faulty value', () => {
    assert.throws(() => decodeToneString('f1=350@-17,f2=5000'), (e: unknown) => e instanceof DecodeError && e.position === 14);
  });

  it('refuses to encode out-of-range values', () => {
    assert.throws(() => encodeToneString({ frequencies: [] }), RangeError);
    assert.throws(() => encodeToneString({ frequencies: [{ hz: 100 }] }), /frequency 100 Hz/);
    assert.throws(() => encodeToneString({ frequencies: [{ hz: 400 }], cadence: [] }), RangeError);
  });

  it('defines continuous tones and playable segments', () => {
    const cases: Array<[string, boolean, number]> = [
      ['f1=350,c=0/0;', true, 0],
      ['f1=350;', true, 0],
      ['f1=350,c=1000/0;', true, 1],
      ['f1=350,c=500/500;', false, 1],
      ['f1=440,c=300/10000-300/10000-0/0;', false, 2],
    ];
    for (const [text, continuous, playable] of cases) {
      const t = decodeToneString(text);
      assert.equal(isContinuous(t.cadence), continuous, text);
      assert.equal(playableSegments(t.cadence).length, playable, text);
    }
    assert.equal(toneLevel({ hz: 440 }), DEFAULT_TONE_LEVEL_DBM);
    assert.equal(toneLevel({ hz: 440, dbm: -13 }), -13);
  });
});

describe('ring cadence (reference §7)', () => {
  it('decodes and re-encodes cadences identically', () => {
    const cases: Array<[string, Array<[number, number]>]> = [
      ['c=2000/4000;', [[2000, 4000]]],
      ['c=400/200-400/2000;', [[400, 200], [400, 2000]]],
      ['c=200/200-200/200-800/4000;', [[200, 200], [200, 200], [800, 4000]]],
      ['c=0/0;', [[0, 0]]],
    ];
    for (const [text, segs] of cases) {
      const c = decodeCadence(text);
      assert.deepEqual(c, { segments: segs.map(([onMs, offMs]) => ({ onMs, offMs })) }, text);
      assert.equal(encodeCadence(c), text);
    }
    for (const d of CATALOGUE.filter((x) => x.type.kind === 'cadence')) {
      assert.equal(encodeCadence(decodeCadence(d.default)), d.default, `P${d.id}`);
    }
    assert.equal(encodeCadence(decodeCadence(' c = 2000/4000 ')), 'c=2000/4000;');
  });

  it('rejects bad cadences with a DecodeError naming the fault', () => {
    const bad: Array<[string, RegExp]> = [
      ['', /empty ring cadence/],
      ['f1=350,c=2000/4000;', /only c=, not f1=/],
      ['c=2000/4000,f1=350', /only c=, not f1=/],
      ['c=2000', /expected <on ms>\/<off ms>/],
      ['c=1/1-1/1-1/1-1/1', /more than 3 cadence segments/],
      ['c=65000/1', /on time 65000 ms out of range/],
      ['c=2000/4000;;', /unexpected text after ';'/],
    ];
    for (const [input, reason] of bad) {
      assert.throws(() => decodeCadence(input), (e: unknown) => e instanceof DecodeError && reason.test(e.reason), input);
    }
  });
});
