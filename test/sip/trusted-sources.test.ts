/** P243/P743 trusted sources: every server and proxy located as for a registration (RFC 3263), by address only. */
import assert from 'node:assert/strict';
import type { HostSpec } from '../../cpe/voice/accounts/account-config';
import { normaliseAddress, TrustedSources } from '../../cpe/voice/accounts/trusted-sources';
import type { DnsMode, DnsResolver } from '../../cpe/voice/sip/transport/locator';

function resolver(table: Record<string, string[]>, srv: Record<string, Array<{ name: string; port: number }>> = {}): DnsResolver & { fail: boolean } {
  const r = {
    fail: false,
    resolve4: async (h: string) => (!r.fail && table[h] ? table[h] : Promise.reject(new Error('NXDOMAIN'))),
    resolveSrv: async (n: string) => (srv[n] ?? []).map((x) => ({ ...x, priority: 10, weight: 0 })),
    resolveNaptr: async () => [],
  };
  return r;
}

const cfg = (servers: HostSpec[], proxies: HostSpec[] = [], dnsMode: DnsMode = 'a') => ({ servers, proxies, protocol: 'udp' as const, dnsMode });

describe('sip: trusted sources (P243/P743)', () => {
  it('IP literals are known before any lookup ends; names by A records; SRV targets all count', async () => {
    const dns = resolver({ 'a.test': ['192.0.2.1', '192.0.2.2'], 'x.test': ['192.0.2.7'], 'y.test': ['192.0.2.8'] }, { '_sip._udp.srv.test': [{ name: 'x.test', port: 5070 }, { name: 'y.test', port: 5080 }] });
    const t = new TrustedSources();
    const done = t.refresh(cfg([{ host: '10.0.0.1' }, { host: 'a.test' }], [{ host: '[2001:db8::1]', port: 5060 }, { host: 'srv.test' }], 'srv'), dns);
    assert.ok(t.has('10.0.0.1'), 'an IP literal at once');
    assert.ok(t.has('2001:DB8::1'));
    await done;
    assert.deepEqual(t.addresses().sort(), ['10.0.0.1', '192.0.2.1', '192.0.2.2', '192.0.2.7', '192.0.2.8', '2001:db8::1']);
    assert.ok(t.has('::ffff:192.0.2.2'), 'an IPv4-mapped source');
    assert.equal(t.has('192.0.2.3'), false);
  });

  it('a failed lookup keeps the host\'s previous addresses; a host no longer configured is forgotten', async () => {
    const dns = resolver({ 'a.test': ['192.0.2.1'] });
    const t = new TrustedSources();
    await t.refresh(cfg([{ host: 'a.test' }, { host: '10.0.0.2' }]), dns);
    dns.fail = true;
    await t.refresh(cfg([{ host: 'a.test' }]), dns);
    assert.deepEqual(t.addresses(), ['192.0.2.1']);
  });

  it('addresses are compared without brackets, case or the IPv4-mapped prefix', () => {
    assert.equal(normaliseAddress('[2001:DB8::1]'), '2001:db8::1');
    assert.equal(normaliseAddress('::FFFF:10.1.2.3'), '10.1.2.3');
    assert.equal(normaliseAddress('10.1.2.3'), '10.1.2.3');
  });
});
