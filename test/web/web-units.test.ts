/** Pure parts of the web UI: escaping, form parsing, multipart, WAN policy, sessions and lockout. */
import assert from 'node:assert/strict';
import { ht813Catalogue } from '../../cpe/params/catalogue';
import { SeededRandom } from '../../cpe/shared/random';
import { DecodeError } from '../../cpe/shared/errors';
import { wanRefusal } from '../../cpe/web/access-policy';
import { parseSettingsForm } from '../../cpe/web/form';
import { attrs, escapeHtml, html, raw } from '../../cpe/web/html';
import { decodeMultipart, multipartBoundary } from '../../cpe/web/multipart';
import { LoginGuard, SessionTable } from '../../cpe/web/sessions';
import { collectStatus, colonMac, uptimeText } from '../../cpe/web/status-view';
import { StatusBoard } from '../../cpe/status';
import { FakeClock } from '../support/fake-clock';

describe('web html helpers', () => {
  it('escapes every interpolation unless it is SafeHtml', () => {
    const v = `<script>alert("x")</script>&'\``;
    assert.equal(html`<p title="${v}">${v}</p>`.text, '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;</p>');
    assert.equal(html`<div>${html`<b>${'<i>'}</b>`}</div>`.text, '<div><b>&lt;i&gt;</b></div>');
    assert.equal(html`${[1, '<', raw('<br>')]}${null}${undefined}${false}`.text, '1&lt;<br>');
    assert.equal(escapeHtml('a&b'), 'a&amp;b');
  });
  it('renders attributes, dropping false and undefined, refusing odd names', () => {
    assert.equal(attrs({ name: 'P47', value: '"x"', disabled: true, checked: false, min: undefined }).text, ' name="P47" value="&quot;x&quot;" disabled');
    assert.throws(() => attrs({ 'onclick x': '1' }));
  });
});

describe('web settings form', () => {
  const cat = ht813Catalogue();
  const CASES: ReadonlyArray<{ name: string; body: Record<string, unknown>; level: 'admin' | 'user'; batch?: Array<[number, string]>; error?: RegExp }> = [
    { name: 'plain fields', body: { csrf: 't', action: 'apply', P47: 'sip.example', P3: 'Ann' }, level: 'admin', batch: [[47, 'sip.example'], [3, 'Ann']] },
    { name: 'empty password = unchanged', body: { P34: '', P35: '1001' }, level: 'admin', batch: [[35, '1001']] },
    { name: 'login password with its confirmation', body: { P196: 'abc', confirm_P196: 'abc' }, level: 'user', batch: [[196, 'abc']] },
    { name: 'confirmation without password', body: { P196: '', confirm_P196: 'abc' }, level: 'user', error: /confirmation was given without a new password/ },
    { name: 'confirm field for a non-login password', body: { confirm_P34: 'x' }, level: 'admin', error: /"confirm_P34": unknown field/ },
    { name: 'unknown name', body: { 'P47;drop': 'x' }, level: 'admin', error: /unknown field/ },
    { name: 'not a string', body: { P47: { a: 1 } }, level: 'admin', error: /given more than once or not text/ },
    { name: 'same value twice is fine', body: { P47: ['a.example', 'a.example'] }, level: 'admin', batch: [[47, 'a.example']] },
    { name: 'user level writing an admin field', body: { P47: 'x.example' }, level: 'user', error: /the user level may not change/ },
    { name: 'not on any page', body: { P68: '1' }, level: 'admin', error: /P68/ },
  ];
  for (const t of CASES) {
    it(t.name, () => {
      const r = parseSettingsForm(cat, t.body, t.level);
      if (t.error) assert.match(r.errors.all.join('\n'), t.error);
      else {
        assert.deepEqual(r.errors.all, []);
        assert.deepEqual(r.batch, t.batch);
      }
    });
  }
  it('never keeps a posted secret for re-display', () => {
    const r = parseSettingsForm(cat, { P34: 'secret', P47: '%%bad' }, 'admin');
    assert.equal(r.posted.has('P34'), false);
    assert.equal(r.posted.get('P47'), '%%bad');
  });
});

describe('web multipart decoder', () => {
  const body = (b: string) =>
    Buffer.from(
      [`--${b}`, 'Content-Disposition: form-data; name="csrf"', '', 'tok', `--${b}`, 'Content-Disposition: form-data; name="file"; filename="a \\"b\\".bin"', 'Content-Type: application/octet-stream', '', 'x\r\ny', `--${b}--`, ''].join('\r\n'),
    );
  it('decodes fields and files', () => {
    const parts = decodeMultipart(body('XyZ'), 'XyZ');
    assert.deepEqual(
      parts.map((p) => [p.name, p.filename, p.data.toString()]),
      [
        ['csrf', undefined, 'tok'],
        ['file', 'a "b".bin', 'x\r\ny'],
      ],
    );
    assert.equal(multipartBoundary('multipart/form-data; boundary="XyZ"'), 'XyZ');
    assert.equal(multipartBoundary('text/plain'), undefined);
  });
  const BAD: ReadonlyArray<[string, Buffer]> = [
    ['no boundary', Buffer.from('hello')],
    ['unterminated part', body('XyZ').subarray(0, 60)],
    ['no name', Buffer.from('--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--')],
    ['garbage header', Buffer.from('--XyZ\r\nnonsense\r\n\r\nx\r\n--XyZ--')],
  ];
  for (const [name, b] of BAD) it(`rejects ${name} with DecodeError`, () => assert.throws(() => decodeMultipart(b, 'XyZ'), DecodeError));
});

describe('web WAN access policy (P190, P20701, P20702)', () => {
  const CASES: ReadonlyArray<[string, string, string, string, boolean]> = [
    // client, P190, white, black, allowed
    ['127.0.0.1', '0', '', '', true],
    ['::ffff:127.0.0.1', '0', '', '', true],
    ['10.1.2.3', '0', '', '', false],
    ['10.1.2.3', '2', '', '', true],
    ['8.8.8.8', '2', '', '', false],
    ['8.8.8.8', '1', '', '', true],
    ['8.8.8.8', '1', '1.1.1.1, 8.8.0.0/16', '', true],
    ['8.9.8.8', '1', '1.1.1.1, 8.8.0.0/16', '', false],
    ['192.168.1.9', '1', '', '192.168.1.0/24', false],
    ['fd00::1', '2', '', '', true],
  ];
  for (const [client, mode, white, black, ok] of CASES) {
    it(`${client} with P190=${mode} white=${white || '-'} black=${black || '-'}: ${ok ? 'allowed' : 'refused'}`, () => {
      assert.equal(wanRefusal(client, { mode, whiteList: white, blackList: black }) === undefined, ok);
    });
  }
});

describe('web sessions and login guard', () => {
  it('expires a session idle for the timeout, sliding on use', () => {
    const clock = new FakeClock();
    const t = new SessionTable(clock, new SeededRandom(1), () => 1000);
    const s = t.create('admin', '127.0.0.1');
    clock.advance(999);
    assert.equal(t.touch(s.id)?.id, s.id);
    clock.advance(999);
    assert.ok(t.touch(s.id));
    clock.advance(1000);
    assert.equal(t.touch(s.id), undefined);
    assert.equal(t.size, 0);
    assert.equal(clock.timerCount, 0, 'no timers');
  });
  it('locks an address after the limit, for the lockout, per address', () => {
    const clock = new FakeClock();
    const g = new LoginGuard(clock, () => 2, () => 60_000);
    assert.equal(g.failed('a'), 0);
    assert.equal(g.failed('a'), 60_000);
    assert.equal(g.lockedFor('a'), 60_000);
    assert.equal(g.lockedFor('b'), 0);
    clock.advance(60_000);
    assert.equal(g.lockedFor('a'), 0);
    assert.equal(g.remaining('a'), 2);
  });
  it('a lockout of 0 minutes only resets the count', () => {
    const g = new LoginGuard(new FakeClock(), () => 1, () => 0);
    assert.equal(g.failed('a'), 0);
    assert.equal(g.lockedFor('a'), 0);
  });
  it('formats MACs and uptimes', () => {
    assert.equal(colonMac('000b82a1b2c3'), '00:0B:82:A1:B2:C3');
    assert.equal(uptimeText(90_061_000), '1 day 01:01:01');
  });
});

describe('web status: the management card', () => {
  const view = (keys: Record<string, unknown>) => {
    const status = new StatusBoard();
    for (const [k, v] of Object.entries(keys)) status.provide(k as 'device.uptime', () => v as number);
    const identity = { mac: '000b82a1b2c3', lanMac: '000b82a1b2c4', serialNumber: 'S', model: 'HT813', hardwareVersion: 'V1', firmwareVersion: '1.0.1.0', manufacturer: 'Grandstream', oui: '000B82' } as const;
    const device = { bootTime: () => 0, bootCount: () => 1, reboot: async () => undefined, factoryReset: async () => undefined };
    return collectStatus({ identity, network: { address: '127.0.0.1', dhcpOptions: new Map() }, device, status, now: 1000 });
  };
  it('says Off, or what syslog, SNMP, the consoles and the automatic reboot are doing', () => {
    const off = view({ syslog: { state: 'off', sip: false, sent: 0, dropped: 0, queued: 0 }, snmp: { state: 'off', engineId: '', received: 0, answered: 0, problems: [] } });
    assert.deepEqual([off.syslog, off.snmp, off.nextReboot], ['Off', 'Off', 'Off']);
    const on = view({
      syslog: { state: 'up', server: '10.0.0.9:514', protocol: 'udp', sip: false, sent: 12, dropped: 1, queued: 0 },
      snmp: { state: 'listening', port: 161, version: 'v2c', engineId: '', traps: { destination: '10.0.0.9:162', version: 'v2c', intervalMinutes: 5, sent: 2 }, received: 3, answered: 3, problems: [] },
      'maintenance.nextReboot': Date.UTC(2026, 11, 8, 3, 0),
      mgmt: { ssh: { state: 'listening', port: 22, sessions: 1 }, telnet: { state: 'off', sessions: 0 }, problems: [] },
    });
    assert.equal(on.ssh, 'Listening on 22 · 1 session');
    assert.equal(on.telnet, 'Off');
    assert.equal(on.syslog, 'up · UDP 10.0.0.9:514 · 12 sent, 1 dropped');
    assert.equal(on.snmp, 'Listening on 161 (v2c) · traps to 10.0.0.9:162');
    assert.equal(on.nextReboot, '2026-12-08 03:00 UTC');
    assert.equal(view({}).syslog, '—', 'no syslog service: unknown');
  });
});
