/**
 * Test plan: GET /kick (TR-069 KickURL) on the real web service with a stand-in CWMP service:
 * arguments and Referer handed over, 302 to the ACS's NextURL, to the browser's own next when the
 * kick was not delivered, and clear 400s for bad arguments (nothing reaches the CWMP service).
 */
import assert from 'node:assert/strict';
import type { KickArgs, KickOutcome } from '../../cpe/cwmp/kicks';
import type { Service } from '../../cpe/service';
import { startTestUnit, type TestUnit } from './harness';

class FakeCwmp implements Service {
  readonly name = 'cwmp';
  readonly kicks: KickArgs[] = [];
  outcome: KickOutcome = 'http://portal.example/welcome';
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async kick(a: KickArgs): Promise<KickOutcome> {
    this.kicks.push(a);
    return this.outcome;
  }
}

describe('web UI: the TR-069 kick URL', () => {
  let unit: TestUnit;
  let cwmp: FakeCwmp;
  beforeEach(async () => {
    cwmp = new FakeCwmp();
    unit = await startTestUnit({ services: { cwmp } });
  });
  afterEach(() => unit.close());
  const kick = (query: string, referer?: string) =>
    fetch(`${unit.url}/kick${query}`, { redirect: 'manual', headers: referer ? { referer } : {} });

  it('hands command, arg, next and the Referer to CWMP and redirects to the NextURL; no login needed', async () => {
    const r = await kick('?command=subscribe&arg=plan%3Dgold&next=http%3A%2F%2Fportal.example%2Fdone', 'http://portal.example/shop');
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), 'http://portal.example/welcome');
    assert.deepEqual(cwmp.kicks, [{ command: 'subscribe', arg: 'plan=gold', next: 'http://portal.example/done', referer: 'http://portal.example/shop' }]);
  });

  it('not delivered: to the browser\'s own next, or an error page when it gave none', async () => {
    cwmp.outcome = undefined;
    const r = await kick('?command=subscribe&next=https%3A%2F%2Fportal.example%2Fsorry');
    assert.equal(r.status, 302);
    assert.equal(r.headers.get('location'), 'https://portal.example/sorry');
    const r2 = await kick('?command=subscribe');
    assert.equal(r2.status, 502);
    assert.match(await r2.text(), /could not be reached/);
  });

  it('bad arguments: 400 naming the problem, nothing handed over', async () => {
    for (const [q, why] of [
      ['', /command is missing/],
      ['?command=a&command=b', /may each be given once/],
      [`?command=${'x'.repeat(40)}`, /command is longer than 32/],
      ['?command=go&next=javascript%3Aalert(1)', /next is not an http/],
    ] as const) {
      const r = await kick(q);
      assert.equal(r.status, 400, q);
      assert.match(await r.text(), why);
    }
    assert.equal(cwmp.kicks.length, 0);
  });
});
