/**
 * The web UI and the SIP service in one unit: a Primary SIP Server change made in Chromium
 * re-registers the FXS account at once, and the STATUS page shows the registration.
 * The registrars are the SIP area's scripted ones on its in-memory network, under a FakeClock.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { SipService } from '../../cpe/voice/accounts/sip-service';
import { InMemoryNetwork } from '../../cpe/voice/sip/transport/in-memory-network';
import type { DnsResolver } from '../../cpe/voice/sip/transport/locator';
import { WebService } from '../../cpe/web/web-service';
import { FakeClock } from '../support/fake-clock';
import { freePort } from '../support/ports';
import { FakeRegistrar } from '../sip/support/fake-registrar';
import { settle, sipContext } from '../sip/support/sip-context';

const NO_DNS: DnsResolver = {
  resolve4: async () => Promise.reject(new Error('NXDOMAIN')),
  resolveSrv: async () => [],
  resolveNaptr: async () => [],
};

describe('web UI with the SIP service', function () {
  this.timeout(60_000);
  let browser: Browser;

  before(async () => {
    assert.ok(fs.existsSync('/usr/bin/chromium'), '/usr/bin/chromium is missing (.ci/deps/web.list)');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
    });
  });
  after(async () => {
    await browser?.close();
  });

  it('a Primary SIP Server change in the browser re-registers the FXS account with the new server', async () => {
    const clock = new FakeClock();
    const net = new InMemoryNetwork(clock);
    const first = new FakeRegistrar(net, '10.0.0.1');
    const second = new FakeRegistrar(net, '10.0.0.2');
    const t = sipContext(clock, { P271: '1', P47: '10.0.0.1', P35: '1001', P36: '1001', P34: 'secret1001', P401: '0' });
    const sip = new SipService(t.ctx, { dns: NO_DNS, openTransport: async (cfg) => net.endpoint('127.0.0.1', cfg.localPort) });
    const web = new WebService({ ...t.ctx, ports: { web: await freePort() } });
    const context = await browser.newContext();
    try {
      await sip.start();
      await web.start();
      await settle(clock);
      assert.equal(t.ctx.status.get('sip.accounts')?.[0]?.state, 'registered');
      const url = web.urls()[0]!.replace(/\/$/, '');
      const page = await context.newPage();
      await page.goto(`${url}/login`);
      await page.fill('#password', 'admin');
      await Promise.all([page.waitForURL(/\/status$/), page.click('#login')]);
      assert.equal(await page.textContent('tr[data-port="FXS"] .registration'), 'Registered');
      await page.goto(`${url}/fxs`);
      await page.fill('input[name="P47"]', '10.0.0.2');
      await Promise.all([page.waitForNavigation(), page.click('#apply')]);
      assert.equal(t.store.get(47), '10.0.0.2');
      await settle(clock);
      const regs = second.registers().filter((r) => r.req.from.uri.kind === 'sip' && r.req.from.uri.user === '1001');
      assert.ok(regs.length > 0, 'REGISTER sent to the new server');
      assert.equal(t.ctx.status.get('sip.accounts')?.[0]?.server, '10.0.0.2');
      await page.goto(`${url}/status`);
      assert.equal(await page.textContent('tr[data-port="FXS"] .registration'), 'Registered');
      await page.screenshot({ path: path.resolve(__dirname, '../../test-artefacts/web/status-registered.png'), fullPage: true });
      assert.ok(first.registers().length > 0);
    } finally {
      await context.close();
      await web.stop('shutdown');
      await sip.stop('shutdown');
      t.cleanup();
    }
  });
});
