/**
 * The web UI at the HTTP level (node:http, no browser): bad input of every kind gets a clear error
 * and changes nothing; levels, CSRF, lockout and session timeout with a FakeClock.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../support/fake-clock';
import { startTestUnit, type TestUnit } from './harness';
import { WebClient } from './http-client';

describe('web UI over HTTP', () => {
  let unit: TestUnit;
  let clock: FakeClock;

  beforeEach(async () => {
    clock = new FakeClock();
    unit = await startTestUnit({ clock });
  });
  afterEach(async () => {
    await unit.close();
  });

  async function as(password: string): Promise<{ c: WebClient; csrf: string }> {
    const c = new WebClient(unit.url);
    const { reply, csrf } = await c.login(password);
    assert.equal(reply.status, 303, `login with ${password}`);
    return { c, csrf: csrf! };
  }

  it('resolves the three passwords to their levels and refuses a wrong one', async () => {
    for (const [pw, who] of [
      ['admin', 'Administrator'],
      ['123', 'End User'],
      ['viewer', 'Viewer'],
    ] as const) {
      const { c } = await as(pw);
      const page = await c.get('/status');
      assert.match(page.body, new RegExp(`<span class="who">${who}</span>`));
    }
    const bad = await new WebClient(unit.url).login('nope');
    assert.equal(bad.reply.status, 401);
    assert.match(bad.reply.body, /Wrong password/);
  });

  it('end user: Status and Basic only; viewer: every page, no Update/Apply', async () => {
    const user = (await as('123')).c;
    assert.equal((await user.get('/basic')).status, 200);
    for (const p of ['/advanced', '/fxs', '/fxo']) assert.equal((await user.get(p)).status, 403, p);
    const viewer = (await as('viewer')).c;
    for (const p of ['/status', '/basic', '/advanced', '/fxs', '/fxo']) {
      const r = await viewer.get(p);
      assert.equal(r.status, 200, p);
      assert.doesNotMatch(r.body, /id="apply"|id="update"|id="reboot-button"/, p);
    }
  });

  it('applies the FXS primary SIP server (P47) as one web batch', async () => {
    const { c, csrf } = await as('admin');
    const r = await c.postForm('/fxs', { csrf, P47: 'sip.example.com:5062', action: 'apply' });
    assert.equal(r.status, 303);
    assert.equal(unit.store.get(47), 'sip.example.com:5062');
    assert.deepEqual(unit.events.map((e) => [e.source, e.changes.map((x) => x.id)]), [['web', [47]]]);
  });

  const BAD: ReadonlyArray<{ name: string; page: string; fields: Array<[string, string]>; error: RegExp }> = [
    { name: 'over-long value', page: '/fxs', fields: [['P47', 'a'.repeat(300)]], error: /P47="a{40}"… \(300 characters\): must be at most 256 characters/ },
    { name: 'wrong type', page: '/basic', fields: [['P28116', 'ten']], error: /P28116=.*integer from 1 to 60/ },
    { name: 'out of range', page: '/basic', fields: [['P28116', '0']], error: /P28116=.*integer from 1 to 60/ },
    { name: 'enum value not offered', page: '/fxs', fields: [['P52', '9']], error: /P52=.*must be one of/ },
    { name: 'unknown P-number', page: '/fxs', fields: [['P99999', '1']], error: /"P99999": unknown field/ },
    { name: 'unknown field name', page: '/fxs', fields: [['evil', '1']], error: /"evil": unknown field/ },
    { name: 'read-only status entry', page: '/fxs', fields: [['P68', '9.9.9.9']], error: /P68.*read-only/ },
    { name: 'same field twice, different values', page: '/fxs', fields: [['P47', 'a.example'], ['P47', 'b.example']], error: /"P47": given more than once/ },
    { name: 'password and confirmation differ', page: '/advanced', fields: [['P2', 'newsecret'], ['confirm_P2', 'newsecreT']], error: /P2: the new password and its confirmation differ/ },
  ];
  for (const t of BAD) {
    it(`refuses ${t.name} with a message and changes nothing, not even the valid fields`, async () => {
      const { c, csrf } = await as('admin');
      const before = unit.store.snapshot();
      const r = await c.postForm(t.page, [['csrf', csrf], ['P3', 'Valid Name'], ...t.fields, ['action', 'apply']]);
      assert.equal(r.status, 400);
      assert.match(r.body, /Nothing was changed/);
      assert.match(r.body.replace(/&quot;/g, '"'), t.error);
      assert.deepEqual(unit.store.snapshot(), before);
      assert.deepEqual(unit.store.staged(), []);
      assert.equal(unit.events.length, 0);
    });
  }

  it('escapes hostile values in error messages, field values and field names', async () => {
    const { c, csrf } = await as('admin');
    const r = await c.postForm('/fxs', { csrf, P47: '<script>alert(1)</script>', P3: '"><img src=x onerror=alert(2)>', '<svg onload=alert(3)>': '1', action: 'apply' });
    assert.equal(r.status, 400);
    assert.doesNotMatch(r.body, /<script>alert|<img src=x|<svg onload/);
    assert.match(r.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(r.body, /value="&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;"/);
    assert.match(r.body, /&lt;svg onload=alert\(3\)&gt;/);
  });

  it('refuses forged fields: an end user posting an admin-only P-value, a viewer posting anything', async () => {
    const user = await as('123');
    const r1 = await user.c.postForm('/basic', { csrf: user.csrf, P28116: '20', P2: 'hijack', confirm_P2: 'hijack', action: 'apply' });
    assert.equal(r1.status, 400);
    assert.match(r1.body, /P2=\(hidden\): the user level may not change/);
    const r2 = await user.c.postForm('/fxs', { csrf: user.csrf, P47: 'evil.example', action: 'apply' });
    assert.equal(r2.status, 403);
    const viewer = await as('viewer');
    const r3 = await viewer.c.postForm('/basic', { csrf: viewer.csrf, P28116: '20', action: 'apply' });
    assert.equal(r3.status, 403);
    const r4 = await viewer.c.postForm('/reboot', { csrf: viewer.csrf });
    assert.equal(r4.status, 403);
    assert.equal(unit.store.get(2), 'admin');
    assert.equal(unit.store.get(28116), '10');
    assert.equal(unit.store.get(47), '');
    assert.deepEqual(unit.device.reboots, []);
  });

  it('refuses a form with a missing or wrong CSRF token, and a login form without one', async () => {
    const { c } = await as('admin');
    const forms: Array<Record<string, string>> = [{ P47: 'x.example', action: 'apply' }, { csrf: 'forged', P47: 'x.example', action: 'apply' }];
    for (const fields of forms) {
      const r = await c.postForm('/fxs', fields);
      assert.equal(r.status, 403);
      assert.match(r.body, /security token is missing or wrong/);
    }
    assert.equal((await c.postForm('/reboot', {})).status, 403);
    assert.equal(unit.store.get(47), '');
    assert.deepEqual(unit.device.reboots, []);
    const fresh = new WebClient(unit.url);
    const r = await fresh.postForm('/login', { P2: 'admin' });
    assert.equal(r.status, 403);
    assert.ok(![...fresh.cookies.keys()].some((k) => k.startsWith('HT813SID')), 'no session cookie');
  });

  it('refuses an oversized form body with 413', async () => {
    const { c, csrf } = await as('admin');
    const r = await c.postForm('/fxs', { csrf, P47: 'x'.repeat(400 * 1024) });
    assert.equal(r.status, 413);
    assert.match(r.body, /too large/);
  });

  it('never renders or logs a password; an empty password field keeps it', async () => {
    unit.store.applyOrThrow({ P34: 'SipS3cret!', P2: 'Adm1nPass' }, 'cli');
    const { c, csrf } = await as('Adm1nPass');
    const fxs = await c.get('/fxs');
    assert.doesNotMatch(fxs.body, /SipS3cret/);
    const r = await c.postForm('/fxs', { csrf, P34: '', P35: '1001', action: 'apply' });
    assert.equal(r.status, 303);
    assert.equal(unit.store.get(34), 'SipS3cret!');
    const r2 = await c.postForm('/advanced', { csrf, P2: 'N3wAdmin', confirm_P2: 'N3wAdmin', action: 'apply' });
    assert.equal(r2.status, 303);
    assert.equal(unit.store.get(2), 'N3wAdmin');
    const logged = unit.log.text();
    for (const secret of ['SipS3cret', 'Adm1nPass', 'N3wAdmin']) assert.ok(!logged.includes(secret), `${secret} logged`);
  });

  it('Update stages without a change event; Apply commits the staged values', async () => {
    const { c, csrf } = await as('admin');
    const r = await c.postForm('/fxs', { csrf, P47: 'staged.example', action: 'update' });
    assert.equal(r.status, 303);
    assert.equal(unit.store.get(47), '');
    assert.deepEqual(unit.store.staged(), [[47, 'staged.example']]);
    assert.equal(unit.events.length, 0);
    const page = await c.get('/fxs');
    assert.match(page.body, /value="staged\.example"/);
    const r2 = await c.postForm('/basic', { csrf, action: 'apply' });
    assert.equal(r2.status, 303);
    assert.equal(unit.store.get(47), 'staged.example');
    assert.equal(unit.events.length, 1);
  });

  it('Discard drops what Update staged, changing nothing', async () => {
    const { c, csrf } = await as('admin');
    await c.postForm('/fxs', { csrf, P47: 'staged.example', action: 'update' });
    const r = await c.postForm('/discard', { csrf, page: 'fxs' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/fxs');
    assert.deepEqual(unit.store.staged(), []);
    assert.equal(unit.store.get(47), '');
    assert.equal(unit.events.length, 0);
  });

  it('locks a client out after P28117 wrong passwords for P1683 minutes', async () => {
    unit.store.applyOrThrow({ P28117: '3', P1683: '2' }, 'cli');
    const c = new WebClient(unit.url);
    for (let i = 1; i <= 2; i++) assert.equal((await c.login('wrong')).reply.status, 401);
    const third = await c.login('wrong');
    assert.equal(third.reply.status, 429);
    const right = await c.login('admin');
    assert.equal(right.reply.status, 429, 'locked even with the right password');
    assert.match(right.reply.body, /locked out/);
    clock.advance(2 * 60_000 - 1);
    assert.equal((await c.login('admin')).reply.status, 429);
    clock.advance(1);
    assert.equal((await c.login('admin')).reply.status, 303);
  });

  it('ends a session idle for P28116 minutes', async () => {
    unit.store.applyOrThrow({ P28116: '1' }, 'cli');
    const { c, csrf } = await as('admin');
    clock.advance(59_999);
    assert.equal((await c.get('/fxs')).status, 200, 'activity keeps it alive');
    clock.advance(60_000);
    const r = await c.get('/fxs');
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/login');
    const post = await c.postForm('/fxs', { csrf, P47: 'late.example', action: 'apply' });
    assert.equal(post.status, 401);
    assert.equal(unit.store.get(47), '');
  });

  it('honours P28158 / P28159 (end-user and viewer levels disabled)', async () => {
    unit.store.applyOrThrow({ P28158: '1', P28159: '1' }, 'cli');
    assert.equal((await new WebClient(unit.url).login('123')).reply.status, 401);
    assert.equal((await new WebClient(unit.url).login('viewer')).reply.status, 401);
    assert.equal((await new WebClient(unit.url).login('admin')).reply.status, 303);
  });

  it('resets by type through the device, and refuses when P88 locks it', async () => {
    const { c, csrf } = await as('admin');
    unit.store.applyOrThrow({ P47: 'voip.example' }, 'cli');
    const r = await c.postForm('/reset', { csrf, type: 'voip' });
    assert.equal(r.status, 200);
    assert.match(r.body, /rebooting/);
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(unit.device.resets, ['voip']);
    assert.equal(unit.store.get(47), '');
    unit.store.applyOrThrow({ P88: '1' }, 'cli');
    const locked = await c.postForm('/reset', { csrf, type: 'full' });
    assert.equal(locked.status, 409);
    assert.match(locked.body, /locked by P88/);
    assert.equal((await c.postForm('/reset', { csrf, type: 'everything' })).status, 400);
    const user = await as('123');
    assert.equal((await user.c.postForm('/reset', { csrf: user.csrf, type: 'full' })).status, 403);
    assert.deepEqual(unit.device.resets, ['voip']);
  });

  it('shows the reboot prompt after a reboot-required change and reboots through the device', async () => {
    const { c, csrf } = await as('admin');
    assert.doesNotMatch((await c.get('/advanced')).body, /id="reboot-prompt"/);
    await c.postForm('/advanced', { csrf, P51: '5', action: 'apply' });
    const page = await c.get('/advanced');
    assert.match(page.body, /id="reboot-prompt"/);
    const r = await c.postForm('/reboot', { csrf });
    assert.equal(r.status, 200);
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(unit.device.reboots, ['web UI']);
  });

  it('serves the status page from the StatusBoard, showing "—" for what nobody provides', async () => {
    const { c } = await as('viewer');
    const before = (await c.get('/status')).body;
    assert.match(before, /<td class="registration">—<\/td>/);
    const board = unit.status as unknown as { provide(k: string, g: () => unknown): void };
    board.provide('sip.accounts', () => [{ account: 1, port: 'FXS', state: 'registered', userId: '1005' }, { account: 2, port: 'FXO', state: 'failed', reason: '403 Forbidden' }]);
    board.provide('hw.fxs.hook', () => 'offHook');
    board.provide('voice.calls', () => [{ line: 1, state: 'talking', callState: 'InCall', calls: [{ id: 'c1', remote: 'sip:2000@pbx', state: 'confirmed', held: false, srtp: true }] }]);
    board.provide('voice.fxo', () => ({ state: 'bridged', direction: 'pstnToVoip', remote: '1002', srtp: false }));
    board.provide('hw.leds', () => ({ power: 'on', wan: 'on', lan: 'off', fxs: 'fastBlink', fxo: 'off' }));
    board.provide('provision.lastConfig', () => ({ time: Date.UTC(2026, 0, 1), url: 'http://prov/cfg.xml', result: 'applied' }));
    const after = (await c.get('/status')).body;
    assert.match(after, /data-port="FXS">.*<td class="registration">Registered<\/td>/s);
    assert.match(after, /Not Registered \(failed: 403 Forbidden\)/);
    assert.match(after, /data-led="fxs" data-state="fastBlink"/);
    assert.match(after, /<td class="hook">Off Hook<\/td><td>1005<\/td>/);
    assert.match(after, /<td class="call">InCall \(sip:2000@pbx\) · SRTP<\/td>/);
    assert.match(after, /data-port="FXO">.*<td class="call">InCall \(PSTN → VoIP, 1002\)<\/td>/s);
    assert.match(after, /2026-01-01 00:00:00 UTC · applied · http:\/\/prov\/cfg\.xml/);
    assert.match(after, /00:0B:82:A1:B2:C3/);
    assert.match(after, /01:02:03/);
  });
});
