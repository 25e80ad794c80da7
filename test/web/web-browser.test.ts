/**
 * The web UI in a real browser: headless Chromium (Debian's /usr/bin/chromium, .ci/deps/web.list)
 * driven by playwright-core (peers.md §7), against a unit started in this process on a free port.
 * A missing Chromium fails these tests. Screenshots of every page go to test-artefacts/web/.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { encodeFirmwareImage } from '../../cpe/provision/firmware/image';
import { FakeClock } from '../support/fake-clock';
import { startTestUnit, type TestUnit } from './harness';

const CHROMIUM = '/usr/bin/chromium';
const ARTEFACTS = path.resolve(__dirname, '../../test-artefacts/web');
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];
const PAGES = ['status', 'basic', 'advanced', 'fxs', 'fxo'] as const;

describe('web UI in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let unit: TestUnit;
  let clock: FakeClock;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (.ci/deps/web.list)`);
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    clock = new FakeClock();
    unit = await startTestUnit({ clock });
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
  });
  afterEach(async () => {
    await context.close();
    await unit.close();
  });

  async function login(password: string, p: Page = page): Promise<void> {
    await p.goto(`${unit.url}/login`);
    await p.fill('#password', password);
    await Promise.all([p.waitForURL(/\/(status|login)$/), p.click('#login')]);
  }

  async function shot(name: string, p: Page = page): Promise<void> {
    await p.screenshot({ path: path.join(ARTEFACTS, `${name}.png`), fullPage: true });
  }

  async function submit(p: Page, button: string): Promise<void> {
    await Promise.all([p.waitForLoadState('load'), p.waitForNavigation(), p.click(button)]);
  }

  it('admin sees every tab with Update and Apply; screenshots of every page', async () => {
    await shot('login');
    await login('admin');
    for (const name of PAGES) {
      await page.goto(`${unit.url}/${name}`);
      assert.equal(await page.locator(`nav.tabs a[data-tab="${name}"].on`).count(), 1);
      assert.equal(await page.locator('nav.tabs a').count(), 5);
      if (name !== 'status') {
        assert.equal(await page.locator('#update').count(), 1, `${name} Update`);
        assert.equal(await page.locator('#apply').count(), 1, `${name} Apply`);
      }
      await shot(`admin-${name}`);
    }
    await page.goto(`${unit.url}/basic`);
    assert.equal(await page.locator('#reset-button').count(), 1, 'reset on Basic Settings');
    await page.setViewportSize({ width: 390, height: 844 });
    for (const name of PAGES) {
      await page.goto(`${unit.url}/${name}`);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
      assert.ok(overflow <= 1, `${name} fits a phone-sized screen (overflow ${overflow}px)`);
      if (name === 'status' || name === 'basic') await shot(`phone-${name}`);
    }
  });

  it('end user sees Status and Basic Settings only; viewer sees pages without buttons', async () => {
    await login('123');
    assert.deepEqual(await page.locator('nav.tabs a').evaluateAll((as) => as.map((a) => a.getAttribute('data-tab'))), ['status', 'basic']);
    await page.goto(`${unit.url}/basic`);
    assert.equal(await page.locator('#apply').count(), 1);
    assert.equal(await page.locator('#reset-button').count(), 0, 'reset is admin only');
    await shot('user-basic');
    const r = await page.goto(`${unit.url}/fxs`);
    assert.equal(r?.status(), 403);
    await shot('user-fxs-refused');

    const viewerCtx = await browser.newContext();
    const v = await viewerCtx.newPage();
    await login('viewer', v);
    for (const name of PAGES) {
      await v.goto(`${unit.url}/${name}`);
      assert.equal(await v.locator('#update, #apply, #reboot-button, #reset-button').count(), 0, `${name} has no buttons`);
      if (name !== 'status') assert.ok((await v.locator('#settings input:not([type=hidden]):not([disabled])').count()) === 0, `${name} inputs disabled`);
    }
    await shot('viewer-fxs', v);
    await viewerCtx.close();
  });

  it('changes the FXS primary SIP server (P47) and the store has it', async () => {
    await login('admin');
    await page.goto(`${unit.url}/fxs`);
    await page.fill('input[name="P47"]', 'sip.example.com');
    await submit(page, '#apply');
    assert.equal(unit.store.get(47), 'sip.example.com');
    assert.match((await page.textContent('#flash')) ?? '', /Applied 1 change/);
    assert.equal(await page.inputValue('input[name="P47"]'), 'sip.example.com');
    assert.deepEqual(unit.events.map((e) => e.source), ['web']);
  });

  it('locks out after P28117 wrong passwords', async () => {
    unit.store.applyOrThrow({ P28117: '3', P1683: '5' }, 'cli');
    for (let i = 0; i < 3; i++) await login('wrong-password');
    assert.match((await page.textContent('#login-error')) ?? '', /locked out for 5 minute/);
    await login('admin');
    assert.match(page.url(), /\/login$/);
    assert.match((await page.textContent('#login-error')) ?? '', /locked out/);
    await shot('login-locked');
    clock.advance(5 * 60_000);
    await login('admin');
    assert.match(page.url(), /\/status$/);
  });

  it('ends the session after P28116 idle minutes', async () => {
    await login('admin');
    await page.goto(`${unit.url}/fxs`);
    clock.advance(10 * 60_000);
    await page.fill('input[name="P47"]', 'too-late.example');
    await submit(page, '#apply');
    assert.match((await page.textContent('#message')) ?? '', /session has ended/);
    assert.equal(unit.store.get(47), '');
    await page.goto(`${unit.url}/fxs`);
    assert.match(page.url(), /\/login$/);
  });

  it('refuses a form whose CSRF token was removed', async () => {
    await login('admin');
    await page.goto(`${unit.url}/fxs`);
    await page.fill('input[name="P47"]', 'csrf.example');
    await page.evaluate(`document.querySelector('#settings input[name="csrf"]').remove()`);
    await submit(page, '#apply');
    assert.match((await page.textContent('#message')) ?? '', /security token is missing or wrong/);
    await shot('csrf-refused');
    assert.equal(unit.store.get(47), '');
  });

  it('shows a value holding HTML and script as text', async () => {
    const evil = '<script>window.__pwned=1</script><img src=x onerror=__pwned=2>'; // ≤ 64, P3's length
    await login('admin');
    await page.goto(`${unit.url}/fxs`);
    await page.fill('input[name="P3"]', evil);
    await page.fill('input[name="P35"]', '<b id="bold">1005</b>');
    await submit(page, '#apply');
    assert.equal(unit.store.get(3), evil);
    assert.equal(await page.inputValue('input[name="P3"]'), evil);
    await page.goto(`${unit.url}/status`);
    assert.equal(await page.locator('#bold').count(), 0, 'no element from the value');
    assert.match((await page.textContent('#ports')) ?? '', /<b id="bold">1005<\/b>/);
    assert.equal(await page.evaluate('typeof window.__pwned'), 'undefined');
    await shot('escaped-status');
  });

  it('Update raises no change notification; Apply does', async () => {
    await login('admin');
    await page.goto(`${unit.url}/fxs`);
    await page.fill('input[name="P47"]', 'later.example');
    await submit(page, '#update');
    assert.equal(unit.events.length, 0);
    assert.equal(unit.store.get(47), '');
    assert.equal(await page.inputValue('input[name="P47"]'), 'later.example');
    assert.equal(await page.locator('#staged').count(), 1);
    await shot('admin-fxs-staged');
    await submit(page, '#apply');
    assert.equal(unit.events.length, 1);
    assert.equal(unit.store.get(47), 'later.example');
  });

  it('offers Reboot after a reboot-required change, and reboots', async () => {
    await login('admin');
    await page.goto(`${unit.url}/advanced`);
    assert.equal(await page.locator('#reboot-prompt').count(), 0);
    await page.fill('input[name="P51"]', '5');
    await submit(page, '#apply');
    assert.equal(unit.store.get(51), '5');
    assert.equal(await page.locator('#reboot-prompt').count(), 1);
    await shot('reboot-prompt');
    await submit(page, '#reboot-now');
    assert.match((await page.textContent('#message')) ?? '', /rebooting/);
    assert.deepEqual(unit.device.reboots, ['web UI']);
  });

  it('downloads the config file and uploads a firmware image from Advanced Settings', async () => {
    unit.store.applyOrThrow({ P47: 'cfg.example' }, 'cli');
    await login('admin');
    await page.goto(`${unit.url}/advanced`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#cfg-download')]);
    assert.equal(download.suggestedFilename(), 'cfg000b82a1b2c3.xml');
    assert.match(fs.readFileSync(await download.path(), 'utf8'), /<P47>cfg\.example<\/P47>/);
    const key = createPrivateKey(fs.readFileSync(path.resolve(__dirname, '../golden/provision/firmware-test-key.pem')));
    const image = encodeFirmwareImage({ model: 'HT813', version: '1.0.9.2', buildDate: Date.UTC(2026, 0, 3), payload: Buffer.from('fw') }, key);
    await page.setInputFiles('#fw-file', { name: 'ht813fw.bin', mimeType: 'application/octet-stream', buffer: image });
    await submit(page, '#fw-upload');
    assert.match((await page.textContent('#message')) ?? '', /Firmware 1\.0\.9\.2 installed/);
    await shot('firmware-installed');
    assert.deepEqual(unit.device.reboots, ['firmware uploaded from the web UI']);
  });

  it('shows field errors next to the field and applies nothing', async () => {
    await login('admin');
    await page.goto(`${unit.url}/fxs`);
    await page.fill('input[name="P47"]', 'ok.example');
    await page.fill('input[name="P40"]', '70000');
    await submit(page, '#apply');
    assert.match((await page.textContent('#errors')) ?? '', /Nothing was changed/);
    assert.match((await page.locator('.row.bad').first().textContent()) ?? '', /P40=.*1 to 65535/);
    assert.equal(await page.inputValue('input[name="P47"]'), 'ok.example', 'what was typed is kept');
    assert.equal(unit.store.get(47), '');
    await shot('field-errors');
  });
});
