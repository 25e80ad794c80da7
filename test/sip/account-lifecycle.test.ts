/**
 * Test plan: an account whose transport is still opening when it is stopped (or restarted) closes
 * that transport instead of leaving its port open; the stopped account keeps no transport.
 */
import assert from 'node:assert/strict';
import { Account } from '../../cpe/voice/accounts/account';
import { readAccountConfig } from '../../cpe/voice/accounts/account-config';
import type { Transport } from '../../cpe/voice/sip/transport/transport';
import { silentLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { InMemoryNetwork } from '../../cpe/voice/sip/transport/in-memory-network';
import { FakeClock } from '../support/fake-clock';
import { sipContext } from './support/sip-context';

describe('sip account lifecycle', () => {
  it('a transport that finishes opening after stop() is closed, not kept', async () => {
    const clock = new FakeClock();
    const t = sipContext(clock, { P271: '1', P47: '10.0.0.1', P35: '1001' });
    const cfg = readAccountConfig(t.ctx.store, 1, '1.0.0.1');
    t.cleanup();
    let release: (tr: Transport) => void = () => undefined;
    let closed = 0;
    const transport = { close: async () => void closed++ } as unknown as Transport;
    const a = new Account(1, {
      clock,
      random: new SeededRandom(1),
      log: silentLogger,
      dns: { resolve4: async () => [], resolveSrv: async () => [], resolveNaptr: async () => [] },
      instanceSeed: 'unit',
      openTransport: () => new Promise<Transport>((r) => (release = r)),
    });
    const starting = a.start(cfg);
    await a.stop({ unregister: false });
    release(transport);
    await starting;
    assert.equal(closed, 1, 'the late transport is closed');
    assert.equal(a.status().state, 'not-registered');
  });
});

describe('P28092: where calls go', () => {
  it('P28092 = 0 (default) gives calls a fresh lookup of the server; 1 keeps the registered address', async () => {
    const clock = new FakeClock();
    const t = sipContext(clock, { P271: '1', P47: 'pbx.test', P35: '1001', P31: '0' });
    const cfg = readAccountConfig(t.ctx.store, 1, '1.0.0.1');
    t.ctx.store.apply({ P28092: '1' }, 'cli');
    assert.equal(readAccountConfig(t.ctx.store, 1, '1.0.0.1').callsUseRegisteredAddress, true);
    t.cleanup();
    assert.equal(cfg.callsUseRegisteredAddress, false);
    let address = '192.0.2.10';
    const a = new Account(1, {
      clock,
      random: new SeededRandom(1),
      log: silentLogger,
      dns: { resolve4: async () => [address], resolveSrv: async () => [], resolveNaptr: async () => [] },
      instanceSeed: 'unit',
      openTransport: async () => new InMemoryNetwork(clock).endpoint('127.0.0.1', 5060, ['udp']),
    });
    await a.start(cfg);
    assert.equal((await a.freshTarget())?.address, '192.0.2.10');
    address = '192.0.2.20'; // DNS now names another server
    assert.equal((await a.freshTarget())?.address, '192.0.2.20');
    await a.stop({ unregister: false });
    assert.equal(await a.freshTarget(), undefined, 'nothing to look up once stopped');
  });
});
