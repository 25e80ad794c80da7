import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParamStore, MASK } from '../../cpe/params/store';
import { ParamError } from '../../cpe/params/param-error';
import type { ChangeEvent } from '../../cpe/params/types';
import { CapturingLogger } from '../../cpe/shared/logger';
import { FakeClock } from '../support/fake-clock';
import { testCatalogue } from './test-catalogue';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-store-'));
}

describe('params/store', () => {
  let dir: string;
  let store: ParamStore;
  let events: ChangeEvent[];
  let log: CapturingLogger;
  const open = (): ParamStore => ParamStore.open(dir, { clock: new FakeClock(), log, catalogue: testCatalogue() });

  beforeEach(() => {
    dir = tmpDir();
    log = new CapturingLogger();
    store = open();
    events = [];
    store.subscribe((e) => events.push(e));
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads defaults before anything is written', () => {
    assert.equal(store.get(28116), '10');
    assert.equal(store.get(47), '');
    assert.equal(store.report.created, true);
  });

  it('commits a valid batch and emits one event with old and new values', () => {
    const r = store.apply([[47, 'sip.example.com'], ['P28116', '30']], 'cli');
    assert.equal(r.ok, true);
    assert.deepEqual(events, [
      { source: 'cli', changes: [{ id: 47, old: '', new: 'sip.example.com' }, { id: 28116, old: '10', new: '30' }] },
    ]);
    assert.equal(store.get(47), 'sip.example.com');
  });

  it('writing the value a parameter already has is not a change', () => {
    store.apply({ P47: 'a.example' }, 'cli');
    const r = store.apply({ P47: 'a.example', P28116: '10' }, 'cli');
    assert.equal(r.ok, true);
    assert.deepEqual(r.changes, []);
    assert.equal(events.length, 1);
  });

  it('a batch with one invalid entry changes nothing and names every failure', () => {
    const r = store.apply([[47, 'ok.example'], [28116, '99'], [8, '7'], [9, 'x'], [12345, '1']], 'provision');
    assert.equal(r.ok, false);
    assert.equal(store.get(47), '');
    assert.equal(events.length, 0);
    const msgs = r.errors.map((e) => e.message);
    assert.deepEqual(
      r.errors.map((e) => [e.id, e.kind]),
      [[28116, 'range'], [8, 'enum'], [9, 'type'], [12345, 'unknown']],
    );
    assert.match(msgs[0]!, /^P28116="99": must be an integer from 1 to 60$/);
    assert.match(msgs[1]!, /^P8="7": must be one of 0 \(DHCP\)/);
    assert.match(msgs[3]!, /^P12345: no such parameter$/);
  });

  const cases: Array<[string, Array<[number, string]>, string]> = [
    ['too long', [[2, 'x'.repeat(26)]], 'length'],
    ['space in a password', [[2, 'a b']], 'charset'],
    ['letters in a PIN', [[794, '12a4']], 'charset'],
    ['bool not 0/1', [[91, 'yes']], 'enum'],
    ['octet over 255', [[9, '256']], 'range'],
    ['read-only entry', [[68, '9.9.9']], 'read-only'],
    ['same P twice with different values', [[47, 'a'], [47, 'b']], 'duplicate'],
  ];
  for (const [name, batch, kind] of cases) {
    it(`rejects ${name}`, () => {
      const r = store.apply(batch, 'cli');
      assert.equal(r.ok, false);
      assert.equal(r.errors[0]?.kind, kind);
      assert.equal(events.length, 0);
    });
  }

  it('never puts a secret value in an error message', () => {
    const r = store.apply([[2, 'sec ret']], 'cli');
    assert.equal(r.ok, false);
    assert.doesNotMatch(r.errors[0]!.message, /sec ret/);
  });

  it('enforces the writer level: end user only Basic Settings entries, viewer nothing', () => {
    assert.equal(store.apply({ P8: '1' }, 'web', { level: 'user' }).ok, true);
    const r = store.apply({ P47: 'x.example' }, 'web', { level: 'user' });
    assert.equal(r.errors[0]?.kind, 'access');
    assert.equal(store.apply({ P8: '0' }, 'web', { level: 'viewer' }).errors[0]?.kind, 'access');
    assert.equal(store.apply({ P8: '0' }, 'web').ok, false, 'web without a level is a viewer');
    assert.equal(store.apply({ P47: 'x.example' }, 'web', { level: 'admin' }).ok, true);
  });

  it('only the device itself writes read-only entries', () => {
    assert.equal(store.apply({ P68: '1.0.7.1' }, 'factory').ok, true);
    assert.equal(store.get(68), '1.0.7.1');
  });

  it('skips unknown P-numbers when asked, and reports them', () => {
    const r = store.apply({ P47: 'h.example', P99999: 'x' }, 'provision', { skipUnknown: true });
    assert.equal(r.ok, true);
    assert.deepEqual(r.skipped, ['P99999']);
  });

  it('stores integers in canonical form', () => {
    store.apply({ P28116: ' 007' }, 'cli');
    assert.equal(store.get(28116), '7');
  });

  it('flags batches that need a reboot', () => {
    assert.equal(store.apply({ P8: '1' }, 'cli').rebootRequired, true);
    assert.equal(store.apply({ P47: 'a.b' }, 'cli').rebootRequired, false);
  });

  it('audits every committed change with secrets masked', () => {
    store.apply({ P2: 'n3wpass', P47: 'a.example' }, 'web', { level: 'admin' });
    const audit = store.audit();
    assert.equal(audit.length, 2);
    const pw = audit.find((a) => a.id === 2)!;
    assert.equal(pw.old, MASK);
    assert.equal(pw.new, MASK);
    assert.equal(pw.source, 'web');
    assert.equal(audit.find((a) => a.id === 47)!.new, 'a.example');
  });

  it('keeps values across close and reopen', () => {
    store.apply({ P47: 'persist.example' }, 'cli');
    store.close();
    store = open();
    assert.equal(store.get(47), 'persist.example');
    assert.equal(store.report.created, false);
  });

  it('staged batches are validated and persisted but emit nothing until applied', () => {
    assert.equal(store.stage({ P28116: '500' }, 'web', { level: 'admin' }).ok, false);
    assert.equal(store.stage({ P28116: '20' }, 'web', { level: 'admin' }).ok, true);
    assert.equal(store.stage({ P47: 'st.example' }, 'web', { level: 'admin' }).ok, true);
    assert.equal(events.length, 0);
    assert.equal(store.get(28116), '10');
    store.close();
    store = open();
    store.subscribe((e) => events.push(e));
    assert.deepEqual(store.staged(), [[47, 'st.example'], [28116, '20']]);
    const r = store.applyStaged('web', { P47: 'final.example' }, { level: 'admin' });
    assert.equal(r.ok, true);
    assert.equal(store.get(28116), '20');
    assert.equal(store.get(47), 'final.example');
    assert.equal(events.length, 1);
    assert.deepEqual(store.staged(), []);
  });

  it('discards a staged batch', () => {
    store.stage({ P47: 'x.example' }, 'web', { level: 'admin' });
    store.discardStaged();
    assert.deepEqual(store.applyStaged('web', {}, { level: 'admin' }).changes, []);
    assert.equal(store.get(47), '');
  });

  it('factory reset by type touches only its group', () => {
    store.apply({ P47: 'voip.example', P8: '1', P91: '1', P28116: '30' }, 'cli');
    events = [];
    store.factoryReset('isp');
    assert.equal(store.get(8), '0');
    assert.equal(store.get(28116), '10');
    assert.equal(store.get(47), 'voip.example');
    assert.equal(events[0]?.source, 'factory');
    store.factoryReset('voip');
    assert.equal(store.get(47), '');
    assert.equal(store.get(91), '1');
    store.factoryReset('full');
    assert.equal(store.get(91), '0');
  });

  it('P88 locks factory reset (2 allows only the ISP-data reset)', () => {
    store.apply({ P88: '1', P47: 'keep.example' }, 'cli');
    assert.throws(() => store.factoryReset('full'), (e: unknown) => e instanceof ParamError && e.kind === 'locked');
    assert.equal(store.get(47), 'keep.example');
    store.apply({ P88: '2' }, 'cli');
    assert.throws(() => store.factoryReset('voip'), ParamError);
    assert.doesNotThrow(() => store.factoryReset('isp'));
  });

  it('a failing listener is logged and the others still run', () => {
    let seen = 0;
    store.subscribe(() => {
      throw new Error('boom');
    });
    store.subscribe(() => seen++);
    store.apply({ P47: 'l.example' }, 'cli');
    assert.equal(seen, 1);
    assert.match(log.text(), /change listener failed/);
  });

  it('service state persists per namespace', () => {
    store.serviceState('cwmp').setJson('events', ['1 BOOT']);
    store.close();
    store = open();
    assert.deepEqual(store.serviceState('cwmp').getJson('events'), ['1 BOOT']);
    assert.equal(store.serviceState('other').get('events'), undefined);
  });

  it('moves an unusable database aside and starts from defaults, loudly', () => {
    store.apply({ P47: 'lost.example' }, 'cli');
    store.close();
    fs.writeFileSync(path.join(dir, 'params.db'), 'this is not a database, '.repeat(200));
    for (const s of ['-wal', '-shm']) fs.rmSync(path.join(dir, `params.db${s}`), { force: true });
    store = open();
    assert.ok(store.report.recovered);
    assert.equal(store.get(47), '');
    assert.ok(fs.readdirSync(dir).some((f) => f.startsWith('params.db.corrupt-')));
    assert.ok(log.records.some((r) => r.level === 'error' && /moved aside/.test(String(r.msg))));
  });
});
