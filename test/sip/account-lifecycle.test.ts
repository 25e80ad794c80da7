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
