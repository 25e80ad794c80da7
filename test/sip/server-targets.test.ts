/**
 * ServerTargets alone: the failover order of servers × proxies, next addresses of one candidate
 * before the next candidate (RFC 3263 §4.3), rounds and prefer-primary.
 */
import assert from 'node:assert/strict';
import { ServerTargets } from '../../cpe/voice/accounts/server-targets';
import type { DnsResolver } from '../../cpe/voice/sip/transport/locator';

const dns: DnsResolver = {
  resolve4: async (h) => ({ 'proxy.test': ['10.9.0.1', '10.9.0.2'], 'backup.test': ['10.9.1.1'] } as Record<string, string[]>)[h] ?? Promise.reject(new Error('NXDOMAIN')),
  resolveSrv: async () => [],
  resolveNaptr: async () => [],
};
const cfg = { protocol: 'udp' as const, dnsMode: 'a' as const };

describe('sip account server targets', () => {
  it('servers × proxies in order; every address of a candidate before the next candidate', async () => {
    const t = new ServerTargets();
    t.reset({ servers: [{ host: 'primary.test' }, { host: 'failover.test' }], proxies: [{ host: 'proxy.test' }, { host: 'backup.test' }] });
    assert.equal(t.count, 4);
    const seen: string[] = [];
    for (;;) {
      const c = t.current;
      assert.ok(c);
      t.markTried();
      let a = await t.resolve(cfg, dns);
      while (a) {
        seen.push(`${c.server.host} via ${a.address}`);
        a = t.nextAddress();
      }
      if (!t.nextCandidate()) break;
    }
    assert.deepEqual(seen, [
      'primary.test via 10.9.0.1', 'primary.test via 10.9.0.2', 'primary.test via 10.9.1.1',
      'failover.test via 10.9.0.1', 'failover.test via 10.9.0.2', 'failover.test via 10.9.1.1',
    ]);
  });

  it('a new round with prefer-primary starts from the primary; without, from where it was', () => {
    const t = new ServerTargets();
    t.reset({ servers: [{ host: '10.0.0.1' }, { host: '10.0.0.2' }], proxies: [] });
    t.markTried();
    assert.equal(t.nextCandidate()?.server.host, '10.0.0.2');
    assert.equal(t.onPrimary, false);
    t.newRound(false);
    assert.equal(t.current?.server.host, '10.0.0.2');
    t.newRound(true);
    assert.equal(t.current?.server.host, '10.0.0.1');
    assert.equal(t.onPrimary, true);
  });

  it('a failed lookup leaves no stale address to fall back on', async () => {
    const t = new ServerTargets();
    t.reset({ servers: [{ host: 'proxy.test' }], proxies: [] });
    await t.resolve(cfg, dns);
    assert.equal(t.target?.address, '10.9.0.1');
    t.reset({ servers: [{ host: 'nowhere.test' }], proxies: [] });
    await assert.rejects(t.resolve(cfg, dns));
    assert.equal(t.target, undefined);
    assert.equal(t.nextAddress(), undefined);
  });
});
