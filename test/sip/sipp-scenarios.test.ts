/**
 * Integration against SIPp registrars (scenarios in test/sip/sipp/): 401 then 200; 403 then the
 * retry after P26002; 503 → failover; no answer → failover after Timer F and back to the primary
 * at refresh with prefer-primary; lost OPTIONS keep-alives → failover. The slow scenarios (Timer F
 * is 32 s) start together in before() and each `it` checks its own. SIPp must be installed.
 */
import assert from 'node:assert/strict';
import { SystemClock } from '../../cpe/shared/clock';
import type { AccountStatus } from '../../cpe/voice/accounts/account';
import { SipService } from '../../cpe/voice/accounts/sip-service';
import type { Peer } from '../support/peer';
import { freePort } from '../support/ports';
import { blackHole, startSipp } from './support/sipp';
import { sipContext, type SipTestContext } from './support/sip-context';

interface Unit {
  t: SipTestContext;
  sip: SipService;
  history: Array<{ at: number; s: AccountStatus }>;
}

async function unit(params: Record<string, string>): Promise<Unit> {
  const t = sipContext(new SystemClock(), {
    P271: '1', P35: '1001', P36: '1001', P34: 'secret1001', P40: String(await freePort()), P401: '0', P740: String(await freePort()), ...params,
  });
  const sip = new SipService(t.ctx);
  const history: Unit['history'] = [];
  sip.events.on('status', (s: AccountStatus) => s.account === 1 && history.push({ at: Date.now(), s }));
  await sip.start();
  return { t, sip, history };
}

function until(u: Unit, pred: (s: AccountStatus) => boolean, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = (): void => {
      const s = u.sip.statuses()[0];
      if (s && pred(s)) return resolve(Date.now());
      if (Date.now() - start > ms) return reject(new Error(`timeout; last status ${JSON.stringify(s)}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

describe('sip integration: SIPp scenarios', function () {
  this.timeout(90_000);
  const peers: Peer[] = [];
  const units: Unit[] = [];
  const holes: Array<{ close(): Promise<void> }> = [];
  let noAnswer: Promise<{ failoverAt: number; backAt: number; started: number }>;
  let lostOptions: Promise<{ failoverAt: number; registeredAt: number }>;

  async function sipp(scenario: string, calls = 100): Promise<number> {
    const port = await freePort();
    peers.push(await startSipp(scenario, port, calls));
    return port;
  }

  before(async () => {
    // no answer → failover (Timer F), then prefer-primary back at refresh
    noAnswer = (async () => {
      const primaryPort = await freePort();
      const hole = await blackHole(primaryPort);
      holes.push(hole);
      const failover = await sipp('reg-200.xml');
      const started = Date.now();
      const u = await unit({ P47: `127.0.0.1:${primaryPort}`, P967: `127.0.0.1:${failover}`, P4567: '1' });
      units.push(u);
      const failoverAt = await until(u, (s) => s.state === 'registered' && s.server === `127.0.0.1:${failover}`, 45_000);
      await hole.close();
      peers.push(await startSipp('reg-200.xml', primaryPort));
      const backAt = await until(u, (s) => s.state === 'registered' && s.server === `127.0.0.1:${primaryPort}`, 25_000);
      return { failoverAt, backAt, started };
    })();
    // OPTIONS keep-alives lost (the registrar goes away after registering us) → failover
    lostOptions = (async () => {
      const primary = await sipp('reg-200.xml', 1);
      const failover = await sipp('reg-200.xml');
      const u = await unit({ P47: `127.0.0.1:${primary}`, P967: `127.0.0.1:${failover}`, P2397: '1', P2398: '1', P2399: '3' });
      units.push(u);
      const registeredAt = await until(u, (s) => s.state === 'registered' && s.server === `127.0.0.1:${primary}`, 5000);
      const failoverAt = await until(u, (s) => s.state === 'registered' && s.server === `127.0.0.1:${failover}`, 60_000);
      return { failoverAt, registeredAt };
    })();
    noAnswer.catch(() => {});
    lostOptions.catch(() => {});
  });

  after(async () => {
    await Promise.allSettled([noAnswer, lostOptions]);
    for (const u of units) {
      await u.sip.stop('shutdown');
      u.t.cleanup();
    }
    for (const h of holes) await h.close().catch(() => {});
    for (const p of peers) await p.stop();
  });

  it('401 then 200: registers with digest credentials SIPp verifies', async () => {
    const port = await sipp('reg-auth.xml', 1);
    const u = await unit({ P47: `127.0.0.1:${port}` });
    units.push(u);
    await until(u, (s) => s.state === 'registered', 5000);
    assert.ok(u.sip.statuses()[0]?.expiresAt);
  });

  it('403 then the retry after P26002 seconds', async () => {
    const port = await sipp('reg-403.xml');
    const u = await unit({ P47: `127.0.0.1:${port}`, P26002: '2', P138: '30' });
    units.push(u);
    const failedAt = await until(u, (s) => s.state === 'failed', 5000);
    assert.equal(u.sip.statuses()[0]?.reason, '403 Forbidden');
    await new Promise((r) => setTimeout(r, 2600));
    const attempts = u.history.filter((h) => h.s.state === 'registering' && h.at > failedAt);
    assert.equal(attempts.length, 1, 'one retry within 2.6 s');
    const delay = (attempts[0]?.at ?? 0) - failedAt;
    assert.ok(delay >= 1900 && delay < 2600, `retry after ${delay} ms`);
  });

  it('503 from the primary: failover at once', async () => {
    const primary = await sipp('reg-503.xml');
    const failover = await sipp('reg-200.xml');
    const u = await unit({ P47: `127.0.0.1:${primary}`, P967: `127.0.0.1:${failover}` });
    units.push(u);
    await until(u, (s) => s.state === 'registered' && s.server === `127.0.0.1:${failover}`, 3000);
  });

  it('no answer: failover after Timer F (64*T1 = 32 s), and back to the primary at refresh (prefer primary)', async () => {
    const r = await noAnswer;
    const f = r.failoverAt - r.started;
    assert.ok(f >= 31_000 && f < 36_000, `failover after ${f} ms`);
    assert.ok(r.backAt - r.failoverAt < 15_000, `back to the primary after ${r.backAt - r.failoverAt} ms`);
  });

  it('OPTIONS keep-alives lost P2399 times: failover', async () => {
    const r = await lostOptions;
    const d = r.failoverAt - r.registeredAt;
    assert.ok(d > 32_000 && d < 45_000, `failover ${d} ms after registering`);
  });
});
