import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Device } from '../../cpe/device';
import { normaliseMac, nextMac } from '../../cpe/identity';
import { ParamError } from '../../cpe/params/param-error';
import type { ChangeEvent } from '../../cpe/params/types';
import type { Service, ServiceContext, ServiceSpec, StopReason } from '../../cpe/service';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { FakeClock } from '../support/fake-clock';

class RecordingService implements Service {
  readonly events: ChangeEvent[] = [];
  constructor(readonly name: string, private readonly ctx: ServiceContext, private readonly journal: string[]) {}
  async start(): Promise<void> {
    this.journal.push(`start ${this.name}`);
    this.ctx.store.subscribe((e) => this.events.push(e));
  }
  async stop(reason: StopReason): Promise<void> {
    this.journal.push(`stop ${this.name} ${reason}`);
  }
}

describe('device lifecycle', () => {
  let dir: string;
  let journal: string[];
  let log: CapturingLogger;
  const specs = (): ServiceSpec[] => [
    { name: 'a', create: (ctx) => new RecordingService('a', ctx, journal) },
    {
      name: 'broken',
      create: () => ({ name: 'broken', start: () => Promise.reject(new Error('no hardware')), stop: async () => undefined }),
    },
    { name: 'b', create: (ctx) => new RecordingService('b', ctx, journal) },
  ];
  const make = (mac?: string): Device =>
    new Device({ dataDir: dir, mac, clock: new FakeClock(), random: new SeededRandom(1), log, services: specs() });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-dev-'));
    journal = [];
    log = new CapturingLogger();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates a MAC in OUI 000B82 once and keeps it', async () => {
    const d = make();
    assert.match(d.identity.mac, /^000b82[0-9a-f]{6}$/);
    assert.equal(d.identity.lanMac, nextMac(d.identity.mac));
    assert.equal(make().identity.mac, d.identity.mac);
  });

  it('takes the MAC from the command line and refuses another one later', () => {
    const d = make('00:0B:82:12:34:56');
    assert.equal(d.identity.mac, '000b82123456');
    assert.equal(d.identity.lanMac, '000b82123457');
    assert.throws(() => make('000b82999999'), /belongs to unit 000b82123456/);
  });

  it('validates MACs', () => {
    assert.throws(() => normaliseMac('zz'), /not a MAC/);
    assert.throws(() => normaliseMac('010b82123456'), /unicast/);
    assert.equal(nextMac('000b82ffffff'), '000b82000000');
  });

  it('boots services in order, leaves out one that fails, and stops them in reverse', async () => {
    const d = make('000b82000001');
    await d.boot();
    assert.equal(d.state, 'up');
    assert.deepEqual(journal, ['start a', 'start b']);
    assert.match(log.text(), /service failed to start.*|no hardware/);
    await d.shutdown();
    assert.deepEqual(journal.slice(2), ['stop b shutdown', 'stop a shutdown']);
    assert.equal(d.state, 'off');
  });

  it('writes its identity into the read-only status P-values', async () => {
    const d = make('000b82000002');
    await d.boot();
    assert.equal(d.store.get(89), 'HT813');
    assert.equal(d.store.get(68), d.identity.firmwareVersion);
    await d.shutdown();
  });

  it('services get the change events of every writer', async () => {
    const d = make('000b82000003');
    await d.boot();
    d.store.apply({ P47: 'sip.example.com' }, 'cli');
    const a = d.service<RecordingService>('a')!;
    assert.deepEqual(a.events, [{ source: 'cli', changes: [{ id: 47, old: '', new: 'sip.example.com' }] }]);
    await d.shutdown();
  });

  it('reboots in-process: services restarted, store reopened, boot counted', async () => {
    const d = make('000b82000004');
    await d.boot();
    d.store.apply({ P47: 'kept.example' }, 'cli');
    assert.equal(d.bootCount(), 1);
    await d.reboot('test');
    assert.equal(d.bootCount(), 2);
    assert.equal(d.state, 'up');
    assert.equal(d.store.get(47), 'kept.example');
    assert.deepEqual(journal, ['start a', 'start b', 'stop b reboot', 'stop a reboot', 'start a', 'start b']);
    await d.shutdown();
  });

  it('factory reset resets the store then reboots; P88 refuses it and keeps everything', async () => {
    const d = make('000b82000005');
    await d.boot();
    d.store.apply({ P47: 'gone.example', P88: '1' }, 'cli');
    await assert.rejects(d.factoryReset('full', 'test'), (e: unknown) => e instanceof ParamError && e.kind === 'locked');
    assert.equal(d.store.get(47), 'gone.example');
    assert.equal(d.state, 'up');
    d.store.apply({ P88: '0' }, 'cli');
    await d.factoryReset('voip', 'test');
    assert.equal(d.store.get(47), '');
    assert.equal(d.store.get(89), 'HT813');
    assert.ok(journal.includes('stop a reset'));
    await d.shutdown();
  });
});
