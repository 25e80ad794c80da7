/**
 * Integration: both accounts of a unit register through a real Kamailio (digest auth) over UDP,
 * TCP and TLS (certificate verified against a trusted CA given in P2386; P2367 = 0 skips the
 * chain check, P2311 = 0 the name check), with qop=auth, and un-register when their settings change. Kamailio must be installed (.ci/deps/sip.list).
 */
import assert from 'node:assert/strict';
import { SystemClock } from '../../cpe/shared/clock';
import type { AccountStatus } from '../../cpe/voice/accounts/account';
import { SipService } from '../../cpe/voice/accounts/sip-service';
import type { DnsResolver } from '../../cpe/voice/sip/transport/locator';
import { freePort } from '../support/ports';
import { startKamailio, type Kamailio } from './support/kamailio';
import { sipContext, type SipTestContext } from './support/sip-context';

async function until(what: string, cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves kamailio.test to 127.0.0.1: a name the test certificate does not carry (it names 127.0.0.1 and localhost). */
const testDns: DnsResolver = {
  resolve4: async (host) => (host === 'kamailio.test' ? ['127.0.0.1'] : []),
  resolveSrv: async () => [],
  resolveNaptr: async () => [],
};

async function unit(kam: Kamailio, params: Record<string, string>, dns?: DnsResolver): Promise<{ t: SipTestContext; sip: SipService }> {
  const p1 = await freePort();
  const p2 = await freePort();
  const t = sipContext(new SystemClock(), {
    P271: '1', P47: `127.0.0.1:${kam.port}`, P35: '1001', P36: '1001', P34: 'secret1001', P40: String(p1),
    P401: '1', P747: `127.0.0.1:${kam.port}`, P735: '1002', P736: '1002', P734: 'secret1002', P740: String(p2),
    ...params,
  });
  const sip = new SipService(t.ctx, dns ? { dns } : {});
  await sip.start();
  return { t, sip };
}

/** Account 1's status once it registered or failed; the unit is stopped either way. */
async function settled(kam: Kamailio, params: Record<string, string>, dns?: DnsResolver): Promise<AccountStatus> {
  const { t, sip } = await unit(kam, params, dns);
  try {
    await until('registered or failed', () => ['registered', 'failed'].includes(sip.statuses()[0]?.state ?? ''));
    return sip.statuses()[0] as AccountStatus;
  } finally {
    await sip.stop('shutdown');
    t.cleanup();
  }
}

describe('sip integration: Kamailio registrar', function () {
  this.timeout(30_000);
  let kam: Kamailio;
  before(async () => {
    kam = await startKamailio({ tls: true, qop: true });
  });
  after(async () => {
    await kam?.stop();
  });

  for (const [name, transport] of [['UDP', '0'], ['TCP', '1']] as const) {
    it(`both accounts register over ${name} with digest (qop=auth) and show in the location table`, async () => {
      const { t, sip } = await unit(kam, { P130: transport, P830: transport });
      try {
        await until('registration', () => sip.statuses().every((s) => s.state === 'registered'));
        const loc = kam.locations();
        assert.match(loc, /1001/);
        assert.match(loc, /1002/);
        assert.equal(sip.statuses()[0]?.transport, name);
        // a change of the password to a wrong one: un-REGISTER, then 401 twice → failed
        t.store.applyOrThrow({ P34: 'wrong' }, 'cli');
        await until('failure', () => sip.statuses()[0]?.state === 'failed');
        assert.match(sip.statuses()[0]?.reason ?? '', /^401/);
        await until('binding removed', () => !/AOR: 1001/.test(kam.locations()));
      } finally {
        await sip.stop('shutdown');
        t.cleanup();
      }
    });
  }

  it('P2359: Kamailio challenges the empty credentials of the first REGISTER, the answer registers', async () => {
    const { t, sip } = await unit(kam, { P2359: '1', P401: '0' });
    try {
      await until('registration', () => sip.statuses()[0]?.state === 'registered');
      assert.match(kam.locations(), /1001/);
    } finally {
      await sip.stop('shutdown');
      t.cleanup();
    }
  });

  it('registers over TLS with the server certificate verified against the trusted CA (P2386)', async () => {
    const { t, sip } = await unit(kam, { P47: `127.0.0.1:${kam.tlsPort}`, P130: '2', P2386: kam.certPem, P401: '0' });
    try {
      await until('registration', () => sip.statuses()[0]?.state === 'registered');
      assert.equal(sip.statuses()[0]?.transport, 'TLS');
    } finally {
      await sip.stop('shutdown');
      t.cleanup();
    }
  });

  it('P2367 = 0 takes a certificate no trusted CA signed; its name is still checked (P2311)', async () => {
    const unsigned = { P130: '2', P401: '0', P2367: '0', P138: '60' };
    assert.equal((await settled(kam, { ...unsigned, P47: `127.0.0.1:${kam.tlsPort}` })).state, 'registered');
    const named = await settled(kam, { ...unsigned, P47: `kamailio.test:${kam.tlsPort}` }, testDns);
    assert.equal(named.state, 'failed');
    assert.match(named.reason ?? '', /kamailio\.test|altnames|does not match/i);
  });

  it('P2311: a trusted certificate that does not name the server is refused, and taken with P2311 = 0', async () => {
    const params = { P47: `kamailio.test:${kam.tlsPort}`, P130: '2', P401: '0', P2386: kam.certPem, P138: '60' };
    const strict = await settled(kam, params, testDns);
    assert.equal(strict.state, 'failed');
    assert.match(strict.reason ?? '', /kamailio\.test|altnames|does not match/i);
    assert.equal((await settled(kam, { ...params, P2311: '0' }, testDns)).state, 'registered');
  });

  it('refuses a TLS server whose certificate it cannot verify', async () => {
    const { t, sip } = await unit(kam, { P47: `127.0.0.1:${kam.tlsPort}`, P130: '2', P401: '0', P138: '60' });
    try {
      await until('failure', () => sip.statuses()[0]?.state === 'failed');
      assert.match(sip.statuses()[0]?.reason ?? '', /self-signed|certificate/i);
    } finally {
      await sip.stop('shutdown');
      t.cleanup();
    }
  });
});
