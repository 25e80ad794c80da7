/*
 * Test plan: whole web logins over HTTP against a real FreeRADIUS (freeradius.ts) on 127.0.0.1, the
 * unit's RADIUS client on real UDP sockets, its timers on a FakeClock (so "no answer" is exact):
 *   - Accept with GS-Access-Level "admin" → administrator; "viewer" → read-only; a 40-character
 *     password (three §5.2 blocks) accepted; FreeRADIUS saw our Message-Authenticator as valid;
 *   - Reject → 401 and counted;
 *   - an unsigned Accept (a "legacy" user) is dropped → after MRD, P28114 = 0 refuses;
 *   - a wrong shared secret: FreeRADIUS drops the request → after MRD, P28114 = 1 checks locally;
 *   - FreeRADIUS stopped (ICMP port unreachable → ECONNREFUSED): P28114 = 0 refuses at once,
 *     P28114 = 1 takes the local admin password;
 *   - in Chromium: the login page shows the Username field, and a RADIUS login lands on Status.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { MRD_MS } from '../../cpe/web/radius/radius-client';
import { FakeClock } from '../support/fake-clock';
import { startFreeRadius, type FreeRadius } from './freeradius';
import { startTestUnit, type TestUnit } from './harness';
import { WebClient } from './http-client';

const SECRET = 'ht813-freeradius-secret';
const LONG_PASSWORD = 'a-forty-character-password-for-3-blocks!';
const USERS = [
  { name: 'alice', password: 'wonderland', level: 'admin' },
  { name: 'bob', password: 'builder', level: 'viewer' },
  { name: 'erin', password: LONG_PASSWORD, level: 'user' },
  { name: 'legacy-larry', password: 'oldserver', level: 'admin' },
];
const CHROMIUM = '/usr/bin/chromium';

describe('web UI: RADIUS login against FreeRADIUS', function () {
  this.timeout(60_000);
  let dir: string;
  let radius: FreeRadius;
  let unit: TestUnit;
  let clock: FakeClock;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-freeradius-'));
    radius = await startFreeRadius(path.join(dir, 'raddb'), SECRET, USERS);
  });
  after(async () => {
    await radius?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    clock = new FakeClock();
    unit = await startTestUnit({ clock, params: { 28107: '1', 28108: '127.0.0.1', 28109: String(radius.port), 28110: SECRET } });
  });
  afterEach(async () => {
    await unit.close();
    assert.equal(clock.timerCount, 0, 'no timer left');
  });

  async function whoAmI(c: WebClient): Promise<string> {
    return /<span class="who">([^<]+)<\/span>/.exec((await c.get('/status')).body)?.[1] ?? '(none)';
  }

  /** Waits (real time) until the unit has a RADIUS retransmission timer armed, then runs out MRD. */
  async function runOutMrd(): Promise<void> {
    for (let i = 0; i < 400 && clock.timerCount === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(clock.timerCount > 0, 'a RADIUS request is waiting');
    await new Promise((r) => setTimeout(r, 50)); // let FreeRADIUS's (dropped) answer arrive first
    clock.advance(MRD_MS);
  }

  it('Accept with level admin, level viewer (read-only), and a three-block password', async () => {
    const admin = new WebClient(unit.url);
    assert.equal((await admin.login('wonderland', 'alice')).reply.status, 303);
    assert.equal(await whoAmI(admin), 'Administrator');
    assert.equal((await admin.get('/advanced')).status, 200);

    const viewer = new WebClient(unit.url);
    const v = await viewer.login('builder', 'bob');
    assert.equal(v.reply.status, 303);
    assert.equal(await whoAmI(viewer), 'Viewer');
    assert.doesNotMatch((await viewer.get('/basic')).body, /id="apply"/);
    assert.equal((await viewer.postForm('/basic', { csrf: v.csrf!, P28116: '20', action: 'apply' })).status, 403);

    const user = new WebClient(unit.url);
    assert.equal((await user.login(LONG_PASSWORD, 'erin')).reply.status, 303);
    assert.equal(await whoAmI(user), 'End User');

    const out = radius.peer.output();
    assert.match(out, /Sent Access-Accept/);
    assert.doesNotMatch(out, /invalid Message-Authenticator/);
    assert.match(out, /NAS-Identifier = "000b82a1b2c3"/);
    assert.match(out, /NAS-IP-Address = 127\.0\.0\.1/);
    assert.ok(unit.log.records.some((r) => r.msg === 'web login: RADIUS accepted'));
  });

  it('Reject: refused and counted', async () => {
    const c = new WebClient(unit.url);
    const { reply } = await c.login('not-wonderland', 'alice');
    assert.equal(reply.status, 401);
    assert.match(reply.body, /Wrong user name or password. 4 attempt/);
    assert.match(radius.peer.output(), /Sent Access-Reject/);
    assert.equal((await new WebClient(unit.url).login('admin', 'nobody')).reply.status, 401, 'unknown user: rejected, not checked locally');
  });

  it('an Accept without Message-Authenticator is dropped: after MRD, P28114 = 0 refuses without counting', async () => {
    unit.store.applyOrThrow({ 28114: '0' }, 'cli');
    const pending = new WebClient(unit.url).login('oldserver', 'legacy-larry');
    await runOutMrd();
    const { reply } = await pending;
    assert.equal(reply.status, 503);
    assert.equal(unit.web.webUi!.guard.remaining('127.0.0.1'), 5);
    assert.match(radius.peer.output(), /Sent Access-Accept Id \d+ .*\n(.*\n)?.*GS-Access-Level = "admin"/);
    const warn = unit.log.records.find((r) => r.msg?.startsWith('web login: RADIUS server failed'));
    assert.match(JSON.stringify(warn?.obj), /Access-Accept without Message-Authenticator/);
  });

  it('a wrong shared secret: FreeRADIUS drops the request; after MRD, P28114 = 1 checks the local passwords', async () => {
    unit.store.applyOrThrow({ 28110: 'not-the-secret' }, 'cli');
    const c = new WebClient(unit.url);
    const pending = c.login('admin', 'alice');
    await runOutMrd();
    assert.equal((await pending).reply.status, 303);
    assert.equal(await whoAmI(c), 'Administrator');
    assert.match(radius.peer.output(), /invalid Message-Authenticator/);
  });

  it('in Chromium: the Username field is shown, and a RADIUS login lands on the Status page', async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (.ci/deps/web.list)`);
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      await page.goto(`${unit.url}/login`);
      assert.ok(await page.locator('#username').isVisible());
      assert.equal(await page.locator('label[for="username"]').textContent(), 'Username');
      await page.fill('#username', 'alice');
      await page.fill('#password', 'wonderland');
      await Promise.all([page.waitForURL(/\/status$/), page.click('#login')]);
      assert.equal(await page.locator('span.who').textContent(), 'Administrator');
    } finally {
      await browser.close();
    }
  });

  it('FreeRADIUS stopped: P28114 = 0 refuses at once, P28114 = 1 takes the local admin password', async () => {
    await radius.stop();
    unit.store.applyOrThrow({ 28114: '0' }, 'cli');
    const refused = await new WebClient(unit.url).login('admin', 'alice');
    assert.equal(refused.reply.status, 503);
    unit.store.applyOrThrow({ 28114: '1' }, 'cli');
    const c = new WebClient(unit.url);
    assert.equal((await c.login('admin', 'alice')).reply.status, 303);
    assert.equal(await whoAmI(c), 'Administrator');
    assert.equal((await new WebClient(unit.url).login('wonderland', 'alice')).reply.status, 401, 'RADIUS passwords are not local ones');
    assert.ok(unit.log.records.some((r) => JSON.stringify(r.obj).includes('ERR_RADIUS_UNREACHABLE')));
  });
});
