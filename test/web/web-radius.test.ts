/*
 * Test plan: RADIUS web login (P28107..P28114) over HTTP against a unit whose RADIUS sockets are
 * in memory (radius-fakes.ts), time on a FakeClock.
 *   - the form asks for a user name only while P28107 = 1, and a change applies to the next page;
 *   - the Access-Request: User-Name, NAS-Identifier (MAC, then P146), NAS-Port-Type, Calling-Station-Id;
 *   - Accept → the level of the Grandstream attribute (admin, viewer), none → viewer, P28111 / P28112
 *     change which attribute is read, P28158 closes the end-user level to RADIUS users too;
 *   - Reject → refused and counted by the lockout (P28117 / P1683);
 *   - no answer (MRD on the FakeClock) or refused port: P28114 = 1 checks the local passwords,
 *     P28114 = 0 refuses without counting; no server configured counts as a failure too;
 *   - a second login of the same client while one waits: busy;
 *   - a changed server / secret applies to the next login; logs never hold a password or the secret;
 *   - after each case: no timer left and no socket open.
 */
import assert from 'node:assert/strict';
import { MRD_MS } from '../../cpe/web/radius/radius-client';
import { ATTR, NAS_PORT_TYPE_VIRTUAL } from '../../cpe/web/radius/radius-packet';
import { FakeClock } from '../support/fake-clock';
import { startTestUnit, TEST_MAC, type TestUnit } from './harness';
import { WebClient } from './http-client';
import { MemoryRadius, RADIUS_SERVER } from './radius-fakes';

const SECRET = 'radius-shared-secret';
const USERS = {
  alice: { password: 'wonderland', level: 'admin' },
  bob: { password: 'builder', level: 'viewer' },
  carol: { password: 'no-attribute' },
  dave: { password: 'end-user', level: 'user' },
};

describe('web UI: RADIUS login', () => {
  let unit: TestUnit;
  let clock: FakeClock;
  let net: MemoryRadius;

  beforeEach(async () => {
    clock = new FakeClock();
    net = new MemoryRadius();
    net.server = { secret: SECRET, users: USERS, messageAuthenticator: true };
    unit = await startTestUnit({
      clock,
      radius: { sockets: net.factory },
      params: { 28107: '1', 28108: RADIUS_SERVER.address, 28109: String(RADIUS_SERVER.port), 28110: SECRET },
    });
  });
  afterEach(async () => {
    assert.equal(net.open, 0, 'no RADIUS socket left open');
    assert.equal(clock.timerCount, 0, 'no timer left');
    await unit.close();
  });

  function set(values: Record<number, string>): void {
    unit.store.applyOrThrow(values, 'cli');
  }

  async function whoAmI(c: WebClient): Promise<string> {
    const page = await c.get('/status');
    return /<span class="who">([^<]+)<\/span>/.exec(page.body)?.[1] ?? '(none)';
  }

  async function until(cond: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(cond(), what);
  }

  it('shows the Username field only while P28107 = 1, from the next page on', async () => {
    const c = new WebClient(unit.url);
    assert.match((await c.get('/login')).body, /<input id="username" type="text" name="username"/);
    set({ 28107: '0' });
    assert.doesNotMatch((await c.get('/login')).body, /name="username"/);
  });

  it('Accept with level admin: an administrator session; the request carries the NAS attributes', async () => {
    const c = new WebClient(unit.url);
    const { reply } = await c.login('wonderland', 'alice');
    assert.equal(reply.status, 303);
    assert.equal(await whoAmI(c), 'Administrator');
    const attrs = new Map(net.last().packet.attributes.map((a) => [a.type, a.value]));
    assert.equal(attrs.get(ATTR.userName)?.toString(), 'alice');
    assert.equal(attrs.get(ATTR.nasIdentifier)?.toString(), TEST_MAC);
    assert.equal(attrs.get(ATTR.callingStationId)?.toString(), '127.0.0.1');
    assert.equal(attrs.get(ATTR.nasPortType)?.readUInt32BE(0), NAS_PORT_TYPE_VIRTUAL);
    set({ 146: 'ht813-lab' });
    await new WebClient(unit.url).login('wonderland', 'alice');
    assert.equal(net.last().packet.attributes.find((a) => a.type === ATTR.nasIdentifier)?.value.toString(), 'ht813-lab');
  });

  it('Accept with level viewer: read-only; no level attribute: viewer too (the default)', async () => {
    for (const [user, pw] of [['bob', 'builder'], ['carol', 'no-attribute']] as const) {
      const c = new WebClient(unit.url);
      const { reply, csrf } = await c.login(pw, user);
      assert.equal(reply.status, 303, user);
      assert.equal(await whoAmI(c), 'Viewer', user);
      assert.doesNotMatch((await c.get('/basic')).body, /id="apply"/);
      assert.equal((await c.postForm('/basic', { csrf: csrf!, P28116: '20', action: 'apply' })).status, 403);
    }
    assert.equal(unit.store.get(28116), '10');
  });

  it('P28111 / P28112 say which vendor attribute holds the level; P28158 closes the end-user level', async () => {
    set({ 28112: '2' });
    let c = new WebClient(unit.url);
    await c.login('wonderland', 'alice');
    assert.equal(await whoAmI(c), 'Viewer', 'the attribute read is vendor type 2: absent');
    set({ 28112: '1' });
    c = new WebClient(unit.url);
    await c.login('end-user', 'dave');
    assert.equal(await whoAmI(c), 'End User');
    set({ 28158: '1' });
    const r = await new WebClient(unit.url).login('end-user', 'dave');
    assert.equal(r.reply.status, 403);
    assert.match(r.reply.body, /the end-user level is disabled/);
  });

  it('Reject: refused, and counted by the lockout (P28117 attempts, P1683 minutes)', async () => {
    set({ 28117: '3', 1683: '5' });
    const c = new WebClient(unit.url);
    for (const left of [2, 1]) {
      const { reply } = await c.login('wrong', 'alice');
      assert.equal(reply.status, 401);
      assert.match(reply.body, new RegExp(`Wrong user name or password. ${left} attempt`));
    }
    assert.equal((await c.login('wrong', 'alice')).reply.status, 429);
    const sent = net.sent.length;
    const locked = await c.login('wonderland', 'alice');
    assert.equal(locked.reply.status, 429);
    assert.equal(net.sent.length, sent, 'a locked-out client never reaches the server');
    clock.advance(5 * 60_000);
    assert.equal((await c.login('wonderland', 'alice')).reply.status, 303);
  });

  it('a user name is required while RADIUS is on: refused without asking the server, and counted', async () => {
    const c = new WebClient(unit.url);
    const { reply } = await c.login('admin', '');
    assert.equal(reply.status, 401);
    assert.match(reply.body, /Wrong user name or password. 4 attempt/);
    assert.equal(net.sent.length, 0);
  });

  it('server silent until MRD: P28114 = 1 checks the local passwords, P28114 = 0 refuses without counting', async () => {
    net.server = undefined; // nobody answers
    const c = new WebClient(unit.url);
    const pending = c.login('admin', 'alice');
    await until(() => net.sent.length === 1, 'request sent');
    clock.advance(MRD_MS);
    const { reply } = await pending;
    assert.equal(reply.status, 303, 'local admin password accepted');
    assert.equal(await whoAmI(c), 'Administrator');
    assert.equal(net.sent.length, 3);
    assert.ok(unit.log.records.some((r) => r.msg?.includes('checking the local passwords (P28114)')));

    set({ 28114: '0' });
    const c2 = new WebClient(unit.url);
    const pending2 = c2.login('admin', 'alice');
    await until(() => net.sent.length === 4, 'second request sent');
    clock.advance(MRD_MS);
    const r2 = (await pending2).reply;
    assert.equal(r2.status, 503);
    assert.match(r2.body, /RADIUS server did not answer/);
    assert.equal(unit.web.webUi!.guard.remaining('127.0.0.1'), 5, 'not counted');
  });

  it('port refused (ECONNREFUSED) or no server configured: a server failure, P28114 decides', async () => {
    net.server = undefined;
    const c = new WebClient(unit.url);
    const pending = c.login('admin', 'alice');
    await until(() => net.sent.length === 1, 'request sent');
    net.fail(Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    assert.equal((await pending).reply.status, 303);
    set({ 28108: '', 28114: '0' });
    const r = await new WebClient(unit.url).login('admin', 'alice');
    assert.equal(r.reply.status, 503);
    assert.ok(unit.log.records.some((x) => JSON.stringify(x.obj).includes('no RADIUS server (P28108)')));
    set({ 28114: '1' });
    assert.equal((await new WebClient(unit.url).login('admin', 'alice')).reply.status, 303);
    assert.equal((await new WebClient(unit.url).login('wonderland', 'alice')).reply.status, 401, 'the RADIUS password is not a local one');
  });

  it('one login at a time per client while the server is asked', async () => {
    net.server = undefined;
    const first = new WebClient(unit.url).login('wonderland', 'alice');
    await until(() => net.sent.length === 1, 'request sent');
    const second = await new WebClient(unit.url).login('wonderland', 'alice');
    assert.equal(second.reply.status, 429);
    assert.match(second.reply.body, /already being checked/);
    clock.advance(MRD_MS);
    await first;
  });

  it('a changed server or secret applies to the next login, without a restart', async () => {
    assert.equal((await new WebClient(unit.url).login('wonderland', 'alice')).reply.status, 303);
    set({ 28108: '10.9.8.6', 28109: '' });
    net.server = undefined;
    const pending = new WebClient(unit.url).login('wonderland', 'alice');
    await until(() => net.sent.length === 2, 'request sent');
    assert.deepEqual(net.last().to, { address: '10.9.8.6', port: 1812 });
    net.fail(Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await pending;
    set({ 28108: RADIUS_SERVER.address, 28109: '1812', 28110: 'another-secret', 28114: '0' });
    net.server = { secret: SECRET, users: USERS, messageAuthenticator: true };
    const p = new WebClient(unit.url).login('wonderland', 'alice');
    await until(() => net.sent.length === 3, 'request sent');
    clock.advance(MRD_MS); // the server drops a request signed with another secret (RFC 3579 §3.2)
    assert.equal((await p).reply.status, 503);
  });

  it('logs name the result, never the password or the shared secret', async () => {
    await new WebClient(unit.url).login('wonderland', 'alice');
    await new WebClient(unit.url).login('not-the-password', 'alice');
    const text = JSON.stringify(unit.log.records);
    assert.doesNotMatch(text, /wonderland|not-the-password/);
    assert.ok(!text.includes(SECRET));
    assert.match(text, /"result":"Access-Accept"/);
    assert.match(text, /"result":"Access-Reject"/);
  });

  it('stopping the unit while a RADIUS login waits ends it without logging anyone in', async () => {
    net.server = undefined;
    const pending = new WebClient(unit.url).login('admin', 'alice');
    await until(() => net.sent.length === 1, 'request sent');
    unit.web.webUi!.logins.close();
    assert.equal((await pending).reply.status, 503, 'not the local admin password, whatever P28114 says');
  });
});
