/**
 * Integration: NAT traversal by STUN (P52 = 1) against a real STUN server (coturn's turnserver in
 * STUN-only mode, Debian package coturn) and Kamailio as registrar. On loopback there is no NAT,
 * so coturn must report exactly the account's own SIP socket, 127.0.0.1:<P40>, and the account
 * registers that Contact. turnserver must be installed (.ci/deps/sip.list).
 */
import assert from 'node:assert/strict';
import { SystemClock } from '../../cpe/shared/clock';
import { SipService } from '../../cpe/voice/accounts/sip-service';
import { startPeer, type Peer } from '../support/peer';
import { freePort } from '../support/ports';
import { startKamailio, type Kamailio } from './support/kamailio';
import { sipContext } from './support/sip-context';

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sip integration: STUN against coturn', function () {
  this.timeout(30_000);
  let stun: Peer;
  let stunPort: number;
  let kam: Kamailio;
  before(async () => {
    stunPort = await freePort();
    stun = await startPeer('turnserver', ['-n', '--listening-ip=127.0.0.1', `--listening-port=${stunPort}`, '--stun-only', '--no-cli', '--log-file=stdout', '--simple-log', '--no-tls', '--no-dtls'], {
      ready: (out) => /Total General servers|IO method|listener opened/i.test(out),
      timeoutMs: 10_000,
    });
    kam = await startKamailio({});
  });
  after(async () => {
    await stun?.stop();
    await kam?.stop();
  });

  it('the account learns 127.0.0.1:<its SIP port> from coturn and registers that Contact', async () => {
    const port = await freePort();
    const t = sipContext(new SystemClock(), {
      P271: '1', P47: `127.0.0.1:${kam.port}`, P35: '1001', P36: '1001', P34: 'secret1001', P40: String(port), P401: '0',
      P52: '1', P76: `127.0.0.1:${stunPort}`, P84: '20',
    });
    const sip = new SipService(t.ctx);
    try {
      await sip.start();
      const learned = t.log.records.find((r) => r.msg === 'sip: public address learned by STUN');
      assert.ok(learned, 'coturn answered the Binding request');
      assert.deepEqual(learned.obj, { address: `127.0.0.1:${port}` });
      assert.equal(t.log.records.some((r) => r.msg === 'sip: STUN server did not answer'), false);
      await until('registration', () => sip.statuses()[0]?.state === 'registered');
      assert.equal(sip.statuses()[0]?.contact, `<sip:1001@127.0.0.1:${port}>`);
      assert.match(kam.locations(), new RegExp(`sip:1001@127\\.0\\.0\\.1:${port}`));
    } finally {
      await sip.stop('shutdown');
      t.cleanup();
    }
  });
});
