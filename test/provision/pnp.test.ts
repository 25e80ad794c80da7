/**
 * SIP plug-and-play provisioning (P1414, "3CX Auto Provision"): the NOTIFY rules (pure), the
 * exchange under a FakeClock on the in-memory network (a PBX scripted by hand, a silent network),
 * and the whole path against real peers: SIPp as the PBX, nginx serving the config file.
 */
import assert from 'node:assert/strict';
import { parsePnpTarget, PnpError, pnpUser, readPnpNotify, uaProfileEvent } from '../../cpe/provision/pnp/pnp-messages';
import { PnpService } from '../../cpe/provision/pnp/pnp-service';
import { fetchUrl } from '../../cpe/provision/fetch/fetch-url';
import type { ServiceContext } from '../../cpe/service';
import { decodeMessage, type SipMessage, type SipRequest } from '../../cpe/voice/sip/syntax';
import { InMemoryNetwork, type InMemoryTransport } from '../../cpe/voice/sip/transport/in-memory-network';
import type { TransportTarget } from '../../cpe/voice/sip/transport/transport';
import { startSipp } from '../sip/support/sipp';
import { freePort } from '../support/ports';
import { MAC, makeHarness, xml, type Harness } from './harness';
import { makeTestPki, publish, startNginx, tempDir, type Server } from './servers';
import fs from 'node:fs';

const CALL = 'c1@127.0.0.1';

function notify(opts: { callId?: string; event?: string; type?: string; body?: string } = {}): SipRequest {
  const body = opts.body ?? 'http://pbx.test:5000/provisioning/abc/';
  const text =
    'NOTIFY sip:127.0.0.1:5062 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bKn1\r\n' +
    `From: <sip:MAC%3a${MAC}@224.0.1.75>;tag=pbx\r\nTo: <sip:MAC%3a${MAC}@224.0.1.75>;tag=unit\r\nCall-ID: ${opts.callId ?? CALL}\r\nCSeq: 1 NOTIFY\r\n` +
    `Max-Forwards: 70\r\nEvent: ${opts.event ?? 'ua-profile'}\r\nSubscription-State: terminated;reason=timeout\r\n` +
    `Content-Type: ${opts.type ?? 'application/url'}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return decodeMessage(text) as SipRequest;
}

describe('SIP PnP provisioning (P1414)', () => {
  describe('messages', () => {
    it('reads the provisioning URL of a NOTIFY of our subscription', () => {
      assert.equal(readPnpNotify(notify(), CALL), 'http://pbx.test:5000/provisioning/abc/');
      assert.equal(readPnpNotify(notify({ body: ' tftp://10.0.0.1/ \r\n', type: 'Application/URL;charset=utf-8' }), CALL), 'tftp://10.0.0.1/');
    });

    it('refuses what is not ours or not a provisioning URL, with the status that says why', () => {
      const status = (req: SipRequest): number => {
        try {
          readPnpNotify(req, CALL);
        } catch (e) {
          assert.ok(e instanceof PnpError && e.code === 'ERR_PNP_NOTIFY', String(e));
          return e.status;
        }
        return 200;
      };
      assert.equal(status(notify({ callId: 'other@x' })), 481);
      assert.equal(status(notify({ event: 'check-sync' })), 489);
      assert.equal(status(notify({ type: 'text/plain' })), 415);
      assert.equal(status(notify({ body: 'not a url' })), 400);
      assert.equal(status(notify({ body: 'file:///etc/passwd' })), 400);
      assert.equal(status(notify({ body: 'javascript:alert(1)' })), 400);
    });

    it('keeps credentials of a refused URL out of its message', () => {
      assert.throws(() => readPnpNotify(notify({ body: 'gopher://admin:s3cret@pbx/' }), CALL), (e: Error) => !e.message.includes('s3cret'));
    });

    it('names the device profile and parses the target', () => {
      assert.equal(uaProfileEvent('HT813', '1.0.7.1'), 'ua-profile;profile-type="device";vendor="Grandstream";model="HT813";version="1.0.7.1"');
      assert.equal(pnpUser('000B82123456'), 'MAC%3a000b82123456');
      assert.deepEqual(parsePnpTarget('224.0.1.75:5060'), { address: '224.0.1.75', port: 5060 });
      assert.deepEqual(parsePnpTarget('[::1]:5070'), { address: '::1', port: 5070 });
      for (const bad of ['224.0.1.75', 'pbx:5060', '1.2.3.4:0', '1.2.3.4:70000', '']) assert.throws(() => parsePnpTarget(bad), TypeError, bad);
    });
  });

  describe('the exchange (FakeClock, in-memory network)', () => {
    let h: Harness;
    let net: InMemoryNetwork;
    let unitPort: InMemoryTransport;
    const PBX = { address: '127.0.0.9', port: 5060 };

    function service(params: Record<string, string> = {}, services?: ServiceContext['services']): PnpService {
      h = makeHarness({ params: { P237: '', ...params } });
      net = new InMemoryNetwork(h.clock);
      const ctx: ServiceContext = { ...h.ctx, network: { ...h.ctx.network, pnpTarget: `${PBX.address}:${PBX.port}` }, services: services ?? h.ctx.services };
      return new PnpService(ctx, {
        openTransport: async () => (unitPort = net.endpoint('127.0.0.1', 5062, ['udp'])),
      });
    }

    afterEach(async () => {
      await h.close();
    });

    it('P1414 = 0: nothing is sent and nothing is armed', async () => {
      const svc = service({ P1414: '0' });
      await svc.start();
      assert.deepEqual(await svc.whenDone(), { state: 'off' });
      assert.equal(net.log.length, 0);
      assert.equal(h.clock.timerCount, 0);
      await svc.stop('shutdown');
    });

    it('no PBX: the SUBSCRIBE is retransmitted by Timer E until Timer F, then the port closes and nothing stays armed', async () => {
      const svc = service();
      await svc.start();
      await new Promise((r) => setImmediate(r)); // the port opens
      h.clock.advance(32_000);
      assert.deepEqual(await svc.whenDone(), { state: 'no-answer', detail: 'no PnP server answered' });
      const sent = net.log.filter((r) => r.message.type === 'request' && r.message.method === 'SUBSCRIBE');
      // RFC 3261 §17.1.2.2: 0, 0.5, 1.5, 3.5, 7.5, then every T2 (4 s) up to 32 s
      assert.deepEqual(sent.map((r) => r.at - (sent[0] as { at: number }).at), [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
      const first = sent[0]?.message as SipRequest;
      assert.equal(first.uri.kind === 'sip' && first.uri.user, `MAC%3a${MAC}`);
      assert.equal(first.headers.get('Event'), uaProfileEvent('HT813', h.ctx.identity.firmwareVersion));
      assert.equal(first.headers.get('Accept'), 'application/url');
      assert.equal(first.headers.get('Expires'), '0');
      h.clock.advance(1);
      await new Promise((r) => setImmediate(r));
      assert.equal(unitPort.closed, true);
      assert.equal(h.clock.timerCount, 0);
      await svc.stop('shutdown');
    });

    /** A PBX endpoint on the in-memory network that records what it gets; `ok()` answers the SUBSCRIBE 200. */
    async function withPbx(svc: PnpService): Promise<{ seen: SipMessage[]; s: SipRequest; pbx: InMemoryTransport; toUnit: TransportTarget; ok(): Promise<void> }> {
      const pbx = net.endpoint(PBX.address, PBX.port, ['udp']);
      const seen: SipMessage[] = [];
      pbx.setUser({ onMessage: (inc) => void seen.push(inc.message) });
      await svc.start();
      await new Promise((r) => setImmediate(r)); // the port opens
      h.clock.advance(0);
      const s = seen.find((m): m is SipRequest => m.type === 'request' && m.method === 'SUBSCRIBE');
      assert.ok(s, 'SUBSCRIBE reached the PBX');
      const toUnit = { protocol: 'udp' as const, address: '127.0.0.1', port: 5062 };
      const ok = async (): Promise<void> => {
        await pbx.send(decodeMessage(
          `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP ${s.via[0]?.host}:${s.via[0]?.port};branch=${s.via[0]?.params.get('branch')}\r\n` +
          `From: <sip:MAC%3a${MAC}@127.0.0.9>;tag=${s.from.params.get('tag')}\r\nTo: <sip:MAC%3a${MAC}@127.0.0.9>;tag=pbx1\r\nCall-ID: ${s.callId}\r\n` +
          `CSeq: ${s.cseq.seq} SUBSCRIBE\r\nContent-Length: 0\r\n\r\n`,
        ), toUnit);
        h.clock.advance(0);
      };
      return { seen, s, pbx, toUnit, ok };
    }

    it('a PBX that answers 200 and never notifies: given up 64×T1 after the 2xx', async () => {
      const svc = service();
      const { ok } = await withPbx(svc);
      await ok();
      assert.equal(svc.status.state, 'awaiting-notify');
      h.clock.advance(31_999);
      assert.equal(svc.status.state, 'awaiting-notify');
      h.clock.advance(1);
      assert.deepEqual(await svc.whenDone(), { state: 'no-answer', detail: 'no NOTIFY after the 2xx' });
      h.clock.advance(32_000);
      await new Promise((r) => setImmediate(r));
      assert.equal(unitPort.closed, true);
      assert.equal(h.clock.timerCount, 0);
      assert.equal(h.store.get(237), '', 'P237 untouched');
      await svc.stop('shutdown');
    });

    it('a PBX that answers and notifies: 415 for a wrong body, then 200, P237 set, provisioning started', async () => {
      // the provisioner: record the call instead of fetching
      const asked: string[] = [];
      const svc = service({}, { get: (n: string) => (n === 'provision' ? ({ provisionNow: async (why: string) => void asked.push(why) } as never) : undefined) });
      const { seen, s, pbx, toUnit, ok } = await withPbx(svc);
      await ok();
      assert.equal(svc.status.state, 'awaiting-notify');
      const url = 'http://user:pw@pbx.test:5000/provisioning/abc/';
      const n = (cseq: number, type: string): SipMessage =>
        decodeMessage(
          `NOTIFY sip:127.0.0.1:5062 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.9:5060;branch=z9hG4bKpbx${cseq}\r\nFrom: <sip:MAC%3a${MAC}@127.0.0.9>;tag=pbx1\r\n` +
            `To: <sip:MAC%3a${MAC}@127.0.0.9>;tag=${s.from.params.get('tag')}\r\nCall-ID: ${s.callId}\r\nCSeq: ${cseq} NOTIFY\r\nMax-Forwards: 70\r\n` +
            `Event: ua-profile\r\nSubscription-State: terminated\r\nContent-Type: ${type}\r\nContent-Length: ${url.length}\r\n\r\n${url}`,
        );
      await pbx.send(n(1, 'text/plain'), toUnit);
      h.clock.advance(0);
      await pbx.send(n(2, 'application/url'), toUnit);
      h.clock.advance(0);
      const answers = seen.filter((m) => m.type === 'response' && m.cseq.method === 'NOTIFY').map((m) => (m.type === 'response' ? m.status : 0));
      assert.deepEqual(answers, [415, 200]);
      const r415 = seen.find((m) => m.type === 'response' && m.status === 415);
      assert.equal(r415?.headers.get('Accept'), 'application/url');
      assert.equal(h.store.get(237), url);
      assert.deepEqual(await svc.whenDone(), { state: 'provisioned', detail: 'http://pbx.test:5000/provisioning/abc/' });
      assert.deepEqual(asked, ['3CX auto provision (SIP PnP NOTIFY)']);
      assert.ok(!h.log.text().includes('user:pw'), 'the URL credentials stay out of the logs');
      // the NOTIFY's server transaction lives out Timer J, then the port closes
      h.clock.advance(32_000);
      await new Promise((r) => setImmediate(r));
      assert.equal(unitPort.closed, true);
      assert.equal(h.clock.timerCount, 0);
      await svc.stop('shutdown');
    });
  });

  describe('against SIPp as the PBX and nginx as its provisioning server', function () {
    this.timeout(30_000);
    let pkiDir: string;
    let nginx: Server | undefined;

    before(async () => {
      pkiDir = tempDir('pnp-pki-');
      nginx = await startNginx(makeTestPki(pkiDir), 'prov', 'provsecret');
      publish(nginx.root, { [`pbx/cfg${MAC}.xml`]: xml('<P3>Provisioned by PnP</P3><P47>pbx.example</P47>', MAC) });
    });

    after(async () => {
      await nginx?.stop();
      if (pkiDir) fs.rmSync(pkiDir, { recursive: true, force: true });
    });

    it('boot: SUBSCRIBE to the PBX, a wrong NOTIFY refused (415), the right one taken: P237 set and the config fetched from it', async () => {
      const url = `http://127.0.0.1:${nginx?.port}/pbx/`;
      const sippPort = await freePort();
      const sipp = await startSipp('pnp-server.xml', sippPort, 1, ['-key', 'url', url]);
      // a closed port as the old server: the boot check fails at once
      const h = makeHarness({ realClock: true, fetch: fetchUrl, params: { P237: '127.0.0.1:9/old' } });
      try {
        h.ctx.services.get = ((n: string) => (n === 'provision' ? h.svc : undefined)) as ServiceContext['services']['get'];
        const ctx: ServiceContext = { ...h.ctx, network: { ...h.ctx.network, pnpTarget: `127.0.0.1:${sippPort}` } };
        await h.svc.start();
        const pnp = new PnpService(ctx);
        await pnp.start();
        assert.deepEqual(await pnp.whenDone(), { state: 'provisioned', detail: url });
        await h.svc.idle();
        assert.equal(h.store.get(237), url);
        assert.equal(h.store.get(3), 'Provisioned by PnP');
        assert.equal(h.store.get(47), 'pbx.example');
        const rc = sipp.proc.exitCode ?? (await new Promise<number | null>((r) => sipp.proc.once('exit', r)));
        assert.equal(rc, 0, `SIPp saw every message it expected:\n${sipp.output()}`);
        await pnp.stop('shutdown');
      } finally {
        await sipp.stop();
        await h.close();
      }
    });
  });
});
