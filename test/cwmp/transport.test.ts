/**
 * Test plan: the HTTP side of sessions and the connection request server, against a GenieACS-like
 * scripted ACS: session cookie, Digest challenge answered on the same connection, Basic, 204 end,
 * 503 + Retry-After, HTTPS verified against a test CA made by openssl; connection requests with
 * good and bad credentials, other methods, and the rate limit.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { ScriptedAcs, type Step } from '../../acs-fixtures/scripted-acs';
import { digestAuthorization, parseChallenges } from '../../cpe/cwmp/http/digest';
import { FakeClock } from '../support/fake-clock';
import { makeTestPki, type TestPki } from './test-ca';
import { startUnit, type Unit } from './unit-fixture';
import { waitFor } from './wait';

const informOk: Step = { expect: 'Inform', reply: { method: 'InformResponse', maxEnvelopes: 1 } };
const end: Step = { expect: 'empty', reply: null };

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A connection request as an ACS sends it: GET, 401 challenge, GET with Digest. */
async function connectionRequest(url: string, username: string, password: string): Promise<number> {
  const first = await get(url);
  if (first.status !== 401) return first.status;
  const ch = parseChallenges([String(first.headers['www-authenticate'])])[0]!;
  const auth = digestAuthorization({ username, password, method: 'GET', uri: new URL(url).pathname, params: ch.params, cnonce: 'abcdef', nc: 1 });
  return (await get(url, { Authorization: auth })).status;
}

describe('cwmp transport: GenieACS-style sessions, HTTPS, connection requests', () => {
  let acs: ScriptedAcs | undefined;
  let unit: Unit | undefined;
  let clock: FakeClock;
  let pki: TestPki;
  before(() => {
    pki = makeTestPki();
  });
  beforeEach(() => {
    clock = new FakeClock();
  });
  afterEach(async () => {
    await unit?.stop();
    unit = undefined;
    await acs?.stop();
    acs = undefined;
  });

  it('Digest challenge answered on the same connection, session cookie sent back, 204 ends the session', async () => {
    acs = new ScriptedAcs({ auth: { scheme: 'digest', username: 'cpe', password: 'S3cr3t-acs' }, cookie: true });
    await acs.start();
    acs.script([informOk, { expect: 'empty', reply: { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.ModelName'] } }, { expect: 'GetParameterValuesResponse', reply: null }]);
    unit = await startUnit({ clock, params: { P4503: acs.url, P4504: 'cpe', P4505: 'S3cr3t-acs' } });
    await acs.finished();
    await unit.service.idle();
    assert.deepEqual(acs.errors, []);
    const r = acs.requests;
    assert.equal(r[0]?.authorized, false);
    assert.ok(r.slice(1).every((x) => x.authorized), 'every later request authorized');
    assert.equal(new Set(r.map((x) => x.socket)).size, 1, 'one TCP connection for the whole session');
    assert.ok(r.slice(2).every((x) => x.cookie !== undefined), 'session cookie returned');
    assert.equal(unit.service.lastResult?.ok, true);
    assert.ok(!unit.log.text().includes('S3cr3t'), 'the password is never logged');
  });

  it('an HTTP redirect moves the session to the new location (TR-069 §3.4.5)', async () => {
    const other = new ScriptedAcs();
    await other.start();
    try {
      acs = new ScriptedAcs();
      await acs.start();
      acs.script([{ expect: 'Inform', reply: { http: 307, headers: { Location: other.url } } }]);
      other.script([informOk, end]);
      unit = await startUnit({ clock, params: { P4503: acs.url } });
      await other.finished();
      await unit.service.idle();
      assert.deepEqual([...acs.errors, ...other.errors], []);
      assert.equal(unit.service.lastResult?.ok, true);
    } finally {
      await other.stop();
    }
  });

  it('Basic auth; wrong credentials fail the session without a crash', async () => {
    acs = new ScriptedAcs({ auth: { scheme: 'basic', username: 'cpe', password: 'right' } });
    await acs.start();
    acs.script([informOk, end]);
    unit = await startUnit({ clock, params: { P4503: acs.url, P4504: 'cpe', P4505: 'wrong' } });
    await waitFor(() => unit!.service.sessions === 1, 'session');
    assert.equal(unit.service.lastResult?.ok, false);
    assert.equal(acs.transcript.length, 0);
    unit.store.applyOrThrow({ P4505: 'right' }, 'cli');
    clock.advance(clock.nextDelay()!);
    await acs.finished();
    await unit.service.idle();
    assert.equal(unit.service.lastResult?.ok, true);
  });

  it('503 with Retry-After: the retry waits exactly that long', async () => {
    acs = new ScriptedAcs();
    await acs.start();
    acs.script([{ expect: 'Inform', reply: { http: 503, headers: { 'Retry-After': '120' } } }, informOk, end]);
    unit = await startUnit({ clock, params: { P4503: acs.url } });
    await waitFor(() => unit!.service.sessions === 1, 'first session');
    assert.equal(clock.nextDelay(), 120_000);
    clock.advance(119_999);
    assert.equal(unit.service.sessions, 1);
    clock.advance(1);
    await acs.finished();
    await unit.service.idle();
    assert.deepEqual(acs.errors, []);
  });

  it('HTTPS: an ACS certified by the custom CA (P8502=1, P2386) is trusted; without the CA the session fails', async () => {
    acs = new ScriptedAcs({ tls: { key: pki.key, cert: pki.cert } });
    await acs.start();
    acs.script([informOk, end]);
    unit = await startUnit({ clock, params: { P4503: acs.url } });
    await waitFor(() => unit!.service.sessions === 1, 'untrusted session');
    assert.equal(unit.service.lastResult?.ok, false);
    assert.match((unit.service.lastResult as { reason: string }).reason, /certificate/i);
    assert.equal(acs.transcript.length, 0);
    await unit.stop();
    unit = await startUnit({ clock: new FakeClock(), params: { P4503: acs.url, P8502: '1', P2386: pki.caPem } });
    await acs.finished();
    await unit.service.idle();
    assert.equal(unit.service.lastResult?.ok, true);
  });

  it('connection request: bad credentials 401 and no session; good credentials 200 and a session with 6 CONNECTION REQUEST; rate limited', async () => {
    acs = new ScriptedAcs();
    await acs.start();
    acs.script([informOk, end]);
    unit = await startUnit({ clock, params: { P4503: acs.url, P4511: 'acs', P4512: 'crpass' } });
    await acs.finished();
    await unit.service.idle();
    const url = unit.service.connectionRequestUrl();
    assert.equal(await connectionRequest(url, 'acs', 'wrong'), 401);
    assert.equal(await connectionRequest(url, 'other', 'crpass'), 401);
    assert.equal((await get(url, {}, 'POST')).status, 405);
    assert.equal((await get(`${url}x`)).status, 404);
    assert.equal(unit.service.sessions, 1);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual((env!.body as unknown as { event: { code: string }[] }).event.map((e) => e.code), ['6 CONNECTION REQUEST']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      end,
    ]);
    assert.equal(await connectionRequest(url, 'acs', 'crpass'), 200);
    await acs.finished();
    await unit.service.idle();
    assert.deepEqual(acs.errors, []);
    assert.equal(await connectionRequest(url, 'acs', 'crpass'), 503, 'a second request within the limit');
    clock.advance(5_000);
    acs.script([informOk, end]);
    assert.equal(await connectionRequest(url, 'acs', 'crpass'), 200);
    await acs.finished();
    await unit.service.idle();
    assert.equal(unit.store.audit(100).filter((a) => a.source === 'cwmp').length, 0, 'no setting changed');
  });

  it('HTTPS with a client certificate (P8220/P8221): the ACS that demands one gets it; without it the handshake fails', async () => {
    acs = new ScriptedAcs({ tls: { key: pki.key, cert: pki.cert, clientCa: pki.caPem } });
    await acs.start();
    acs.script([informOk, end]);
    unit = await startUnit({ clock, params: { P4503: acs.url, P8502: '1', P2386: pki.caPem } });
    await waitFor(() => unit!.service.sessions === 1, 'session without a client certificate');
    assert.equal(unit.service.lastResult?.ok, false);
    assert.equal(acs.transcript.length, 0);
    await unit.stop();
    unit = await startUnit({ clock: new FakeClock(), params: { P4503: acs.url, P8502: '1', P2386: pki.caPem, P8220: pki.clientCert, P8221: pki.clientKey } });
    await acs.finished();
    await unit.service.idle();
    assert.equal(unit.service.lastResult?.ok, true);
    assert.equal(acs.requests[0]?.clientCn, '000b82123456');
    assert.equal(unit.log.text().includes('PRIVATE KEY'), false, 'the key is never logged');
  });

  it('cwmp-1-2 Inform carries SessionTimeout and SupportedCWMPVersions; the unit answers in the ACS namespace', async () => {
    acs = new ScriptedAcs({ version: '1-2' });
    await acs.start();
    acs.script([
      {
        expect: 'Inform',
        check: (env) => {
          assert.equal(env?.version, '1-2');
          assert.equal(env?.sessionTimeout, 30);
          assert.equal(env?.supportedCwmpVersions, '1.0,1.1,1.2,1.3');
        },
        reply: { method: 'InformResponse', maxEnvelopes: 1 },
      },
      { expect: 'empty', reply: { method: 'GetRPCMethods' } },
      { expect: 'GetRPCMethodsResponse', check: (env) => assert.equal(env?.version, '1-2'), reply: null },
    ]);
    unit = await startUnit({ clock, params: { P4503: acs.url }, cwmp: { version: '1-2' } });
    await acs.finished();
    await unit.service.idle();
    assert.deepEqual(acs.errors, []);
  });
});
