/**
 * Test plan: POSIX TZ strings with daylight-saving rules — US, EU and southern-hemisphere zones at
 * their 2026 transitions (to the minute), Jn and n rules, the default rules of a bare DST name,
 * wall-clock to UTC across a skipped and a repeated hour, malformed strings refused; and the
 * provisioning schedule keeping its local hour across a DST change.
 */
import assert from 'node:assert/strict';
import { CATALOGUE } from '../../cpe/params/catalogue/index';
import { nextCheckTime, type ScheduleSettings } from '../../cpe/provision/schedule';
import { offsetAt, parsePosixTz, wallToUtc, type PosixTz } from '../../cpe/shared/posix-tz';

const Z = (tz: string): PosixTz => {
  const z = parsePosixTz(tz);
  assert.ok(z, `${tz} should parse`);
  return z;
};
const at = (iso: string) => Date.parse(iso);

describe('POSIX TZ with DST rules', () => {
  it('US (EST5EDT, default rules = M3.2.0,M11.1.0): 8 March and 1 November 2026', () => {
    const z = Z('EST5EDT');
    assert.equal(offsetAt(z, at('2026-01-15T12:00:00Z')), -300);
    assert.equal(offsetAt(z, at('2026-03-08T06:59:59Z')), -300);
    assert.equal(offsetAt(z, at('2026-03-08T07:00:00Z')), -240);
    assert.equal(offsetAt(z, at('2026-11-01T05:59:59Z')), -240);
    assert.equal(offsetAt(z, at('2026-11-01T06:00:00Z')), -300);
    assert.deepEqual(Z('MTZ+6MDT+5,M3.2.0,M11.1.0').dstOffsetMin, -300);
  });

  it('EU (CET-1CEST,M3.5.0,M10.5.0/3): last Sundays of March and October', () => {
    const z = Z('CET-1CEST,M3.5.0,M10.5.0/3');
    assert.equal(offsetAt(z, at('2026-03-29T00:59:00Z')), 60);
    assert.equal(offsetAt(z, at('2026-03-29T01:00:00Z')), 120);
    assert.equal(offsetAt(z, at('2026-10-25T00:59:00Z')), 120);
    assert.equal(offsetAt(z, at('2026-10-25T01:00:00Z')), 60);
  });

  it('southern hemisphere (NZST-12NZDT,M9.5.0,M4.1.0/3): summer across the new year', () => {
    const z = Z('NZST-12NZDT,M9.5.0,M4.1.0/3');
    assert.equal(offsetAt(z, at('2026-01-15T00:00:00Z')), 780);
    assert.equal(offsetAt(z, at('2026-04-04T13:59:00Z')), 780);
    assert.equal(offsetAt(z, at('2026-04-04T14:00:00Z')), 720);
    assert.equal(offsetAt(z, at('2026-06-15T00:00:00Z')), 720);
    assert.equal(offsetAt(z, at('2026-09-26T13:59:00Z')), 720);
    assert.equal(offsetAt(z, at('2026-09-26T14:00:00Z')), 780);
    assert.equal(offsetAt(z, at('2026-12-15T00:00:00Z')), 780);
  });

  it('Jn (no 29 February) and n (zero-based, leap days counted) rules; no DST; offsets with minutes', () => {
    const j = Z('AAA3BBB,J60/0,J300/0'); // J60 is 1 March in every year
    assert.equal(offsetAt(j, at('2028-02-29T12:00:00Z')), -180);
    assert.equal(offsetAt(j, at('2028-03-01T03:00:00Z')), -120);
    const n = Z('AAA3BBB,59/0,300/0'); // day 59 is 29 February in a leap year
    assert.equal(offsetAt(n, at('2028-02-29T03:00:00Z')), -120);
    assert.equal(offsetAt(n, at('2027-02-28T12:00:00Z')), -180);
    assert.deepEqual(Z('<+0545>-5:45'), { stdOffsetMin: 345 });
    assert.deepEqual(Z('NST+3:30NDT,M3.2.0/0:01,M11.1.0/0:01').dstOffsetMin, -150);
  });

  it('every zone of the P64 list (and the P246 default) parses', () => {
    const t = CATALOGUE.find((d) => d.id === 64)!.type as { kind: string; values: ReadonlyArray<{ value: string }> };
    assert.equal(t.kind, 'enum');
    const zones = t.values.map((v) => v.value).filter((v) => v !== 'customize');
    assert.ok(zones.length > 50);
    for (const tz of [...zones, CATALOGUE.find((d) => d.id === 246)!.default]) assert.ok(parsePosixTz(tz), tz);
  });

  it('malformed zones are refused', () => {
    for (const bad of ['', 'garbage', 'EST', 'EST5EDT,M13.1.0,M11.1.0', 'EST5EDT,M3.6.0,M11.1.0', 'EST5EDT,J0,J300', 'EST5EDT,M3.2.0']) {
      assert.equal(parsePosixTz(bad), undefined, bad);
    }
  });

  it('wall clock to UTC: a normal hour, the skipped hour (after the jump), the repeated hour (the earlier)', () => {
    const z = Z('EST5EDT');
    assert.equal(wallToUtc(z, at('2026-07-01T12:00:00Z')), at('2026-07-01T16:00:00Z'));
    assert.equal(wallToUtc(z, at('2026-03-08T02:30:00Z')), at('2026-03-08T07:30:00Z'));
    assert.equal(wallToUtc(z, at('2026-11-01T01:30:00Z')), at('2026-11-01T05:30:00Z'));
  });

  describe('provisioning schedule on the local clock', () => {
    const base: ScheduleSettings = { mode: '2', intervalMin: 60, startHour: 1, endHour: 1, weekDay: 0, randomized: false, utcOffsetMin: -300, zone: Z('EST5EDT') };
    it('daily 01:00 local is 06:00 UTC in winter, 05:00 UTC in summer', () => {
      assert.equal(nextCheckTime(at('2026-01-07T10:30:00Z'), base, 0, true), at('2026-01-08T06:00:00Z'));
      assert.equal(nextCheckTime(at('2026-07-07T10:30:00Z'), base, 0, true), at('2026-07-08T05:00:00Z'));
    });
    it('across the spring change: 03:00 local the next day is 07:00 UTC; 02:00 (skipped) falls just after the jump', () => {
      assert.equal(nextCheckTime(at('2026-03-07T12:00:00Z'), { ...base, startHour: 3 }, 0, true), at('2026-03-08T07:00:00Z'));
      assert.equal(nextCheckTime(at('2026-03-07T12:00:00Z'), { ...base, startHour: 2 }, 0, true), at('2026-03-08T07:00:00Z'));
    });
    it('across the autumn change: 01:00 local on 1 November is the first 01:00 (05:00 UTC), and the next one a day later', () => {
      assert.equal(nextCheckTime(at('2026-10-31T12:00:00Z'), base, 0, true), at('2026-11-01T05:00:00Z'));
      assert.equal(nextCheckTime(at('2026-11-01T05:00:00Z'), base, 0, false), at('2026-11-02T06:00:00Z'));
    });
  });
});
