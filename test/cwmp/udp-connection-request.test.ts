/**
 * Test plan: TR-111 Part 2 against a real STUN server (coturn's turnserver in STUN-only mode,
 * Debian package coturn): the unit learns UDPConnectionRequestAddress from its Binding Requests,
 * then signed UDP connection requests open a session with 6 CONNECTION REQUEST; a bad signature,
 * a wrong user and a replayed id are ignored. Codec checks for STUN and the request line.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { ScriptedAcs } from '../../acs-fixtures/scripted-acs';
import { ATTR, BINDING_REQUEST, decodeStun, encodeStun, mappedAddress, MAGIC_COOKIE } from '../../cpe/shared/stun';
import { checkUdpConnectionRequest, decodeUdpConnectionRequest, udpSignature } from '../../cpe/cwmp/stun/udp-connection-request';
import { FakeClock } from '../support/fake-clock';
import { startPeer, type Peer } from '../support/peer';
import { freePort } from '../support/ports';
import { startUnit, type Unit } from './unit-fixture';
import { waitFor } from './wait';

function udpRequest(port: number, q: { ts: number; id: string; un: string; cn: string; password: string; sig?: string }): Promise<void> {
  const sig = q.sig ?? udpSignature(q.password, q);
  const msg = Buffer.from(`GET http://127.0.0.1:${port}?ts=${q.ts}&id=${q.id}&un=${q.un}&cn=${q.cn}&sig=${sig} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.send(msg, port, '127.0.0.1', (e) => {
      s.close();
      if (e) reject(e);
      else resolve();
    });
  });
}

describe('cwmp TR-111 UDP connection requests', () => {
  it('STUN codec: encode/decode with MESSAGE-INTEGRITY, XOR-MAPPED-ADDRESS; junk is a DecodeError', () => {
    const tid = Buffer.alloc(12, 7);
    const req = encodeStun({ type: BINDING_REQUEST, transactionId: tid, attributes: [{ type: ATTR.USERNAME, value: Buffer.from('u') }] }, 'key');
    const d = decodeStun(req);
    assert.equal(d.type, BINDING_REQUEST);
    assert.deepEqual(d.attributes.map((a) => a.type), [ATTR.USERNAME, ATTR.MESSAGE_INTEGRITY]);
    const xor = Buffer.alloc(8);
    xor[1] = 1;
    xor.writeUInt16BE(5060 ^ (MAGIC_COOKIE >>> 16), 2);
    xor.writeUInt32BE((0xc0a80001 ^ MAGIC_COOKIE) >>> 0, 4);
    assert.deepEqual(mappedAddress({ type: 0x0101, transactionId: tid, attributes: [{ type: ATTR.XOR_MAPPED_ADDRESS, value: xor }] }), { address: '192.168.0.1', port: 5060 });
    assert.throws(() => decodeStun(Buffer.from('hello')));
    assert.throws(() => decodeStun(Buffer.concat([req.subarray(0, 20), Buffer.alloc(2)])));
  });

  it('UDP request line: parse, signature, replay rules (TR-111 §2.2.2)', () => {
    const q = { ts: 1120673700, id: '1234', un: 'cpe', cn: 'XTGRWIPC6D3IPXS3' };
    const sig = udpSignature('pw', q);
    const r = decodeUdpConnectionRequest(Buffer.from(`GET http://10.1.1.1:7547?ts=${q.ts}&id=${q.id}&un=${q.un}&cn=${q.cn}&sig=${sig} HTTP/1.1\r\n\r\n`))!;
    assert.ok(r);
    const creds = { username: 'cpe', password: 'pw' };
    assert.equal(checkUdpConnectionRequest(r, creds, undefined), 'accept');
    assert.equal(checkUdpConnectionRequest(r, { username: 'cpe', password: 'x' }, undefined), 'bad-signature');
    assert.equal(checkUdpConnectionRequest(r, { username: 'other', password: 'pw' }, undefined), 'bad-user');
    assert.equal(checkUdpConnectionRequest(r, creds, { ts: q.ts, id: '1234' }), 'replay');
    assert.equal(checkUdpConnectionRequest(r, creds, { ts: q.ts + 1, id: '9' }), 'replay');
    assert.equal(decodeUdpConnectionRequest(Buffer.from('POST / HTTP/1.1\r\n')), undefined);
    assert.equal(decodeUdpConnectionRequest(Buffer.from('GET http://x?ts=1&id=2 HTTP/1.1')), undefined);
  });

  describe('against coturn', () => {
    let stun: Peer;
    let stunPort: number;
    let acs: ScriptedAcs;
    let unit: Unit | undefined;
    before(async () => {
      stunPort = await freePort();
      stun = await startPeer('turnserver', ['-n', '--listening-ip=127.0.0.1', `--listening-port=${stunPort}`, '--stun-only', '--no-cli', '--log-file=stdout', '--simple-log', '--no-tls', '--no-dtls'], {
        ready: (out) => /Total General servers|IO method|listener opened/i.test(out),
        timeoutMs: 10_000,
      });
    });
    after(async () => {
      await stun?.stop();
    });
    beforeEach(async () => {
      acs = new ScriptedAcs();
      await acs.start();
    });
    afterEach(async () => {
      await unit?.stop();
      unit = undefined;
      await acs.stop();
    });

    it('learns UDPConnectionRequestAddress, accepts a signed request once, ignores bad and replayed ones', async () => {
      const clock = new FakeClock();
      const crPort = await freePort();
      acs.script([
        { expect: 'Inform', reply: { method: 'InformResponse', maxEnvelopes: 1 } },
        { expect: 'empty', reply: null },
      ]);
      unit = await startUnit({
        clock,
        params: { P4503: acs.url, P4518: String(crPort), P8205: '1', P8209: `127.0.0.1:${stunPort}`, P4511: 'acs', P4512: 'udp-pw', P4520: '60' },
      });
      await acs.finished();
      await unit.service.idle();
      const addrNode = unit.service.model.node('Device.ManagementServer.UDPConnectionRequestAddress');
      assert.ok(addrNode && addrNode.kind === 'param');
      await waitFor(() => unit!.service.model.read(addrNode) !== '', 'STUN binding', 8000);
      assert.equal(unit.service.model.read(addrNode), `127.0.0.1:${crPort}`);
      assert.equal(clock.nextDelay(), 60_000, 'binding refreshed every STUNMinimumKeepAlivePeriod');
      await unit.service.idle();
      const sessions = unit.service.sessions;
      const base = { ts: 1_800_000_000, id: 'a1', un: 'acs', cn: 'C0FFEE', password: 'udp-pw' };
      await udpRequest(crPort, { ...base, password: 'wrong' });
      await udpRequest(crPort, { ...base, un: 'intruder' });
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(unit.service.sessions, sessions, 'bad requests open nothing');
      acs.script([
        { expect: 'Inform', check: (env) => assert.deepEqual((env!.body as unknown as { event: { code: string }[] }).event.map((e) => e.code), ['6 CONNECTION REQUEST']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
        { expect: 'empty', reply: null },
      ]);
      await udpRequest(crPort, base);
      await acs.finished();
      await unit.service.idle();
      assert.deepEqual(acs.errors, []);
      clock.advance(10_000);
      await udpRequest(crPort, base); // the same id again: a replay
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(unit.service.sessions, sessions + 1);
    });
  });
});
