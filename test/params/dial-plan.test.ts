import assert from 'node:assert/strict';
import { DecodeError } from '../../cpe/shared/errors';
import { decodeDialPlan, encodeDialPlan, matchDialPlan, type DialPlanMatch } from '../../cpe/params/syntax/dial-plan';

const HT813_DEFAULT = '{ x+ | \\+x+ | *x+ | *xx*x+ }';

describe('dial plan decode (reference §6)', () => {
  it('parses the HT813 default into its AST and re-encodes it identically', () => {
    const plan = decodeDialPlan(HT813_DEFAULT);
    const xPlus = { kind: 'repeat', element: { kind: 'digit' } } as const;
    assert.deepEqual(plan, {
      rules: [
        { exclude: false, pstn: false, elements: [xPlus] },
        { exclude: false, pstn: false, elements: [{ kind: 'key', key: '+' }, xPlus] },
        { exclude: false, pstn: false, elements: [{ kind: 'key', key: '*' }, xPlus] },
        {
          exclude: false,
          pstn: false,
          elements: [{ kind: 'key', key: '*' }, { kind: 'digit' }, { kind: 'digit' }, { kind: 'key', key: '*' }, xPlus],
        },
      ],
    });
    assert.equal(encodeDialPlan(plan), HT813_DEFAULT);
  });

  it('parses every element form and round-trips through the canonical text', () => {
    const cases: Array<[string, string]> = [
      ['{x+}', '{ x+ }'],
      ['{L: 911x+}', '{ L: 911x+ }'],
      ['{ x+ | L: 617x+ }', '{ x+ | L: 617x+ }'],
      ['{L:617x+|x+}', '{ L: 617x+ | x+ }'],
      ['{ ^1900x. | x+ }', '{ ^1900x. | x+ }'],
      ['{ [3-5]xx | [147]x+ | [1-35]x }', '{ [3-5]xx | [147]x+ | [1-35]x }'],
      ['{ <2=011>x+ | <=1>[2-9]xxxxxxxxx }', '{ <2=011>x+ | <=1>[2-9]xxxxxxxxx }'],
      ['{ <1=>xxxxxxxxxx }', '{ <1=>xxxxxxxxxx }'],
      ['{ *#ABCD | abcd }', '{ *#ABCD | ABCD }'],
      ['{ 1 x x x }', '{ 1xxx }'],
      ['{ <00=\\+>x+ }', '{ <00=+>x+ }'],
    ];
    for (const [input, canonical] of cases) {
      const plan = decodeDialPlan(input);
      assert.equal(encodeDialPlan(plan), canonical, input);
      assert.deepEqual(decodeDialPlan(canonical), plan, input);
    }
  });

  it('keeps the L: (PSTN) and ^ (exclude) flags', () => {
    const plan = decodeDialPlan('{ ^1900x+ | L: 911 | x+ }');
    assert.deepEqual(plan.rules.map((r) => [r.exclude, r.pstn]), [[true, false], [false, true], [false, false]]);
  });

  it('rejects invalid plans with a DecodeError naming the position', () => {
    const bad: Array<[string, RegExp, number]> = [
      ['', /empty dial plan/, 0],
      ['x+', /must start with '\{'/, 0],
      ['{ x+', /missing '\}'/, 4],
      ['{ x+ | }', /empty rule/, 7],
      ['{}', /empty rule/, 1],
      ['{ +x }', /'\+' must follow a key/, 2],
      ['{ x++ }', /'\+' cannot follow another \+/, 4],
      ['{ .+ }', /'\+' cannot follow '\.'/, 3],
      ['{ [5-3] }', /empty range 5-3/, 3],
      ['{ [] }', /empty \[class\]/, 2],
      ['{ [1-*] }', /range in \[class\] joins two digits/, 3],
      ['{ [12 }', /unexpected character '\}' in \[class\]/, 6],
      ['{ <2011> }', /needs '='/, 2],
      ['{ <2=011 }', /missing '>'/, 2],
      ['{ <2=0Q1> }', /unexpected character 'Q' in <\.\.=\.\.>/, 6],
      ['{ <=1> }', /rule matches no keys/, 2],
      ['{ 9Q }', /unexpected character 'Q'/, 3],
      ['{ \\x }', /'\\' must be followed by '\+'/, 2],
      ['{ L 911 }', /'L' must be followed by ':'/, 2],
      ['{ ^L: 911 }', /both excluded/, 3],
      ['{ 9L: 11 }', /'L' is allowed only at the start of a rule/, 3],
      ['{ x+ } z', /unexpected text after '\}'/, 7],
      ['{ x+ , 1 }', /unexpected character ','/, 5],
    ];
    for (const [input, reason, position] of bad) {
      assert.throws(
        () => decodeDialPlan(input),
        (e: unknown) => e instanceof DecodeError && reason.test(e.reason) && e.position === position,
        `${input} → ${reason} at ${position}`,
      );
    }
  });
});

describe('dial plan match (reference §6)', () => {
  const complete = (dial: string, more: boolean, rule: number, pstn = false): DialPlanMatch => ({ kind: 'complete', more, dial, pstn, rule });
  const partial: DialPlanMatch = { kind: 'partial' };
  const none: DialPlanMatch = { kind: 'none' };

  const CASES: Array<[string, string, DialPlanMatch]> = [
    // the HT813 default
    [HT813_DEFAULT, '', partial],
    [HT813_DEFAULT, '1', complete('1', true, 0)],
    [HT813_DEFAULT, '6266667890', complete('6266667890', true, 0)],
    [HT813_DEFAULT, '+4930123', complete('+4930123', true, 1)],
    [HT813_DEFAULT, '*', partial],
    [HT813_DEFAULT, '*7', complete('*7', true, 2)],
    [HT813_DEFAULT, '*72', complete('*72', true, 2)],
    [HT813_DEFAULT, '*72*', partial],
    [HT813_DEFAULT, '*72*5', complete('*72*5', true, 3)],
    [HT813_DEFAULT, '#', none],
    [HT813_DEFAULT, '1#', none],
    // closed rules: complete without more
    ['{ 911 }', '9', partial],
    ['{ 911 }', '911', complete('911', false, 0)],
    ['{ 911 }', '912', none],
    ['{ 911 }', '9111', none],
    ['{ xxx }', '123', complete('123', false, 0)],
    // xx+ means two or more
    ['{ xx+ }', '1', partial],
    ['{ xx+ }', '12', complete('12', true, 0)],
    // . is one or more of any key
    ['{ 1. }', '1', partial],
    ['{ 1. }', '1*#5', complete('1*#5', true, 0)],
    // classes
    ['{ [3-5]xx }', '412', complete('412', false, 0)],
    ['{ [3-5]xx }', '612', none],
    ['{ [147]x }', '75', complete('75', false, 0)],
    ['{ [147]x }', '25', none],
    // most specific rule wins, then the earlier one
    ['{ x+ | 911 }', '911', complete('911', true, 1)],
    ['{ xxx | [0-9]xx }', '911', complete('911', false, 1)],
    ['{ x+ | xxx }', '911', complete('911', true, 0)],
    // L: routes to PSTN (user guide "Route Calls TO PSTN")
    ['{ L: 911x+ }', '9115', complete('9115', true, 0, true)],
    ['{ x+ | L: 617x+ }', '6175551234', complete('6175551234', true, 1, true)],
    ['{ L: 617x+ | x+ }', '6175551234', complete('6175551234', true, 0, true)],
    ['{ x+ | L: 617x+ }', '2125551234', complete('2125551234', true, 0)],
    // substitutions
    ['{ <2=011>x+ }', '2441234', complete('011441234', true, 0)],
    ['{ <2=011>x+ }', '2', partial],
    ['{ <=1>[2-9]xxxxxxxxx }', '6175551234', complete('16175551234', false, 0)],
    ['{ <1=>xxxxxxxxxx }', '16175551234', complete('6175551234', false, 0)],
    ['{ <011=00>x+ }', '01', partial],
    ['{ <011=00>x+ }', '02', none],
    ['{ <00=\\+>x+ }', '0044', complete('+44', true, 0)],
    // ^ exclusion
    ['{ ^1900x+ | x+ }', '1900555', { kind: 'partial', excluded: true }],
    ['{ ^1900x+ | x+ }', '1900', complete('1900', true, 1)],
    ['{ ^1900x+ | x+ }', '1800555', complete('1800555', true, 1)],
    ['{ ^911 | 9xx }', '911', { kind: 'none', excluded: true }],
    ['{ ^911 | 9xx }', '912', complete('912', false, 1)],
    // literal plus
    ['{ \\+x+ }', '+', partial],
    ['{ \\+x+ }', '44', none],
  ];

  it('reports complete / partial / none with the number to dial (table)', () => {
    for (const [plan, digits, expected] of CASES) {
      assert.deepEqual(matchDialPlan(decodeDialPlan(plan), digits), expected, `${plan} ← ${JSON.stringify(digits)}`);
    }
  });
});
