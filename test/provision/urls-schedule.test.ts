/* Pure functions of the settings: server URLs and file names (reference §2), the schedule (§1.3). */
import assert from 'node:assert/strict';
import { configFileNames, configServerBase, fileUrl, firmwareFileName, firmwareServerBase, redact, serverBase, type ServerSettings } from '../../cpe/provision/server-urls';
import { nextCheckTime, posixTzOffsetMin, type ScheduleSettings } from '../../cpe/provision/schedule';

const S: ServerSettings = {
  via: '2',
  configServer: 'fm.grandstream.com/gs',
  firmwareServer: 'fw.example.com:8080/fw',
  configPrefix: '',
  configPostfix: '',
  firmwarePrefix: '',
  firmwarePostfix: '',
  allowDhcpOverride: true,
  dhcpOptions: new Map(),
};

describe('provision: server URLs and file names', () => {
  const bases: Array<[string, string, string]> = [
    ['fm.grandstream.com/gs', '2', 'https://fm.grandstream.com/gs/'],
    ['fm.grandstream.com/gs/', '1', 'http://fm.grandstream.com/gs/'],
    ['10.0.0.1', '0', 'tftp://10.0.0.1/'],
    ['10.0.0.1:2121/x', '3', 'ftp://10.0.0.1:2121/x/'],
    ['10.0.0.1/x', '4', 'ftps://10.0.0.1/x/'],
    ['HTTP://Prov.Example/p?q=1', '0', 'http://prov.example/p/'],
    ['tftp://[::1]:6969/p', '2', 'tftp://[::1]:6969/p/'],
  ];
  for (const [p, via, want] of bases) {
    it(`P237 ${p} with P212=${via} → ${want}`, () => assert.equal(serverBase(p, via).href, want));
  }

  it('refuses a scheme we do not fetch and a path without host', () => {
    assert.throws(() => serverBase('gopher://x/', '2'), /not supported/);
    assert.throws(() => serverBase('x', '9'), /not supported/);
  });

  it('file names: prefix, MAC in lower case, extension, then postfix', () => {
    assert.deepEqual(configFileNames({ ...S, configPrefix: 'gs_', configPostfix: '_001' }, '000B82AABBCC').map((f) => f.name), [
      'gs_cfg000b82aabbcc_001',
      'gs_cfg000b82aabbcc.xml_001',
      'gs_cfg.xml_001',
    ]);
    assert.equal(firmwareFileName({ ...S, firmwarePrefix: 'v2/', firmwarePostfix: '.signed' }, 'HT813'), 'v2/ht813fw.bin.signed');
    assert.equal(fileUrl(serverBase('h/p', '1'), 'a b/c.xml').href, 'http://h/p/a%20b/c.xml');
  });

  it('DHCP: option 160 before 66, a bare option-66 host is TFTP; only with P145 = 1; both servers', () => {
    const d = (m: Array<[number, string]>, allow = true): ServerSettings => ({ ...S, allowDhcpOverride: allow, dhcpOptions: new Map(m) });
    assert.equal(configServerBase(d([[66, '10.1.1.1']]))?.href, 'tftp://10.1.1.1/');
    assert.equal(configServerBase(d([[66, 'http://a/b']]))?.href, 'http://a/b/');
    assert.equal(configServerBase(d([[66, '10.1.1.1'], [160, 'c.example/p']]))?.href, 'https://c.example/p/');
    assert.equal(firmwareServerBase(d([[66, '10.1.1.1']]))?.href, 'tftp://10.1.1.1/');
    assert.equal(configServerBase(d([[66, '10.1.1.1']], false))?.href, 'https://fm.grandstream.com/gs/');
    assert.equal(configServerBase({ ...S, configServer: ' ' }), undefined);
  });
});

describe('provision: schedule', () => {
  const base: ScheduleSettings = { mode: '0', intervalMin: 10080, startHour: 1, endHour: 22, weekDay: 1, randomized: false, utcOffsetMin: 0 };
  const now = Date.UTC(2026, 0, 7, 10, 30); // Wednesday 10:30 UTC
  const cases: Array<[string, Partial<ScheduleSettings>, number, boolean, number | undefined]> = [
    ['off', {}, 0, true, undefined],
    ['every 30 min', { mode: '1', intervalMin: 30 }, 0.5, true, now + 30 * 60_000],
    ['every 60 min, randomised first check', { mode: '1', intervalMin: 60, randomized: true }, 0.5, true, now + 30 * 60_000],
    ['every 60 min, randomised later checks', { mode: '1', intervalMin: 60, randomized: true }, 0.5, false, now + 60 * 60_000],
    ['daily at 01:00 → tomorrow', { mode: '2' }, 0, true, Date.UTC(2026, 0, 8, 1)],
    ['daily at 23:00 → today', { mode: '2', startHour: 23 }, 0, true, Date.UTC(2026, 0, 7, 23)],
    ['daily 22→02 randomised, half way', { mode: '2', startHour: 22, endHour: 2, randomized: true }, 0.5, true, Date.UTC(2026, 0, 8, 0)],
    ['daily in UTC-5 (EST5EDT) at 01:00 local', { mode: '2', utcOffsetMin: -300 }, 0, true, Date.UTC(2026, 0, 8, 6)],
    ['weekly on Sunday 01:00', { mode: '3', weekDay: 0 }, 0, true, Date.UTC(2026, 0, 11, 1)],
    ['weekly on Wednesday 11:00 → today', { mode: '3', weekDay: 3, startHour: 11 }, 0, true, Date.UTC(2026, 0, 7, 11)],
    ['weekly on Wednesday 10:00 → next week', { mode: '3', weekDay: 3, startHour: 10 }, 0, true, Date.UTC(2026, 0, 14, 10)],
  ];
  for (const [name, s, spread, first, want] of cases) {
    it(name, () => assert.equal(nextCheckTime(now, { ...base, ...s }, spread, first), want));
  }

  const zones: Array<[string, number]> = [['EST5EDT', -300], ['TZO-1', 60], ['NST+3:30NDT+2:30,M4.1.0', -210], ['TZU-5:45', 345], ['MTZ+6MDT+5,M3.2.0,M11.1.0', -360], ['<+0545>-5:45', 345], ['', 0]];
  for (const [tz, off] of zones) {
    it(`POSIX zone ${JSON.stringify(tz)} → ${off} min`, () => assert.equal(posixTzOffsetMin(tz), off));
  }
});

describe('provision: server paths in logs', () => {
  it('never shows user:password@ of a server path', () => {
    assert.equal(redact('https://u:secret@h/p'), 'https://h/p');
    assert.equal(redact('u:secret@h/p'), 'h/p');
    assert.equal(redact('h/p'), 'h/p');
    assert.throws(() => serverBase('gopher://u:secret@h/', '2'), (e: unknown) => e instanceof TypeError && !e.message.includes('secret'));
  });
});
