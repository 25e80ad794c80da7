/**
 * Test plan: Download / Upload / ScheduleDownload / CancelTransfer / Get(All)QueuedTransfers
 * through a session, with a fake TransferBackend (its own interface) for downloads and the unit's
 * real PUT uploader against a local HTTP server. DelaySeconds and windows on the FakeClock;
 * TransferComplete (FaultStruct, times) in the following session; events 7 TRANSFER COMPLETE +
 * M Download persisted through the firmware reboot.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { ScriptedAcs, type Step } from '../../acs-fixtures/scripted-acs';
import { CwmpFault } from '../../cpe/cwmp/faults';
import { FT_CONFIG, FT_FIRMWARE, UT_CONFIG, UT_LOG } from '../../cpe/cwmp/transfer-backend';
import type { DownloadRequest, TransferBackend, UploadRequest } from '../../cpe/cwmp/transfers';
import type { CwmpMessage, Envelope } from '../../cpe/cwmp/soap/types';
import { FakeClock } from '../support/fake-clock';
import { settleSession, startUnit, type Unit } from './unit-fixture';
import { waitFor } from './wait';

class FakeBackend implements TransferBackend {
  readonly downloadTypes = [FT_FIRMWARE, FT_CONFIG];
  readonly uploadTypes = [UT_CONFIG, UT_LOG];
  readonly downloads: DownloadRequest[] = [];
  fail: CwmpFault | undefined;
  hold: Promise<void> | undefined;
  async download(req: DownloadRequest): Promise<{ rebootRequired: boolean }> {
    this.downloads.push(req);
    if (this.hold) await this.hold;
    if (this.fail) throw this.fail;
    return { rebootRequired: req.fileType === FT_FIRMWARE };
  }
  async upload(_req: UploadRequest): Promise<void> {}
}

type M<K extends CwmpMessage['method']> = Extract<CwmpMessage, { method: K }>;
const b = <K extends CwmpMessage['method']>(env: Envelope | null, k: K): M<K> => {
  assert.equal(env?.body?.method, k);
  return env!.body as M<K>;
};
const codes = (env: Envelope | null): string[] => b(env, 'Inform').event.map((e) => (e.commandKey ? `${e.code}:${e.commandKey}` : e.code));
const informOk: Step = { expect: 'Inform', reply: { method: 'InformResponse', maxEnvelopes: 1 } };
const end: Step = { expect: 'empty', reply: null };
const dl = (key: string, fileType: string, delaySeconds = 0): CwmpMessage => ({
  method: 'Download',
  commandKey: key,
  fileType,
  url: 'http://files.example/fw.bin',
  username: 'u',
  password: 'p',
  fileSize: 1000,
  targetFileName: 'fw.bin',
  delaySeconds,
  successUrl: '',
  failureUrl: '',
});

describe('cwmp transfers', () => {
  let acs: ScriptedAcs;
  let unit: Unit | undefined;
  let clock: FakeClock;
  let backend: FakeBackend;
  beforeEach(async () => {
    acs = new ScriptedAcs();
    await acs.start();
    clock = new FakeClock();
    backend = new FakeBackend();
  });
  afterEach(async () => {
    await unit?.stop();
    unit = undefined;
    await acs.stop();
  });
  const settle = (u: Unit): Promise<void> => settleSession(acs, u);

  it('Download of a config file: Status 1, DelaySeconds honoured, queue visible, then TransferComplete in a new session', async () => {
    acs.script([
      informOk,
      { expect: 'empty', reply: dl('cfg-1', FT_CONFIG, 30) },
      {
        expect: 'DownloadResponse',
        check: (env) => {
          const r = b(env, 'DownloadResponse');
          assert.equal(r.status, 1);
          assert.equal(r.startTime, '0001-01-01T00:00:00Z');
        },
        reply: { method: 'GetAllQueuedTransfers' },
      },
      {
        expect: 'GetAllQueuedTransfersResponse',
        check: (env) =>
          assert.deepEqual(b(env, 'GetAllQueuedTransfersResponse').transferList, [
            { commandKey: 'cfg-1', state: 1, isDownload: true, fileType: FT_CONFIG, fileSize: 1000, targetFileName: 'fw.bin' },
          ]),
        reply: { method: 'GetQueuedTransfers' },
      },
      { expect: 'GetQueuedTransfersResponse', check: (env) => assert.deepEqual(b(env, 'GetQueuedTransfersResponse').transferList, [{ commandKey: 'cfg-1', state: 1 }]), reply: null },
    ]);
    unit = await startUnit({ clock, params: { P4503: acs.url }, cwmp: { backend } });
    await settle(unit);
    clock.advance(29_999);
    assert.equal(backend.downloads.length, 0);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['7 TRANSFER COMPLETE', 'M Download:cfg-1']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      {
        expect: 'TransferComplete',
        check: (env) => {
          const t = b(env, 'TransferComplete');
          assert.equal(t.commandKey, 'cfg-1');
          assert.deepEqual(t.fault, { code: 0, string: '' });
          assert.match(t.startTime, /^2026-01-01T00:00:30Z$/);
        },
        reply: { method: 'TransferCompleteResponse' },
      },
      end,
    ]);
    clock.advance(1);
    await settle(unit);
    assert.deepEqual(backend.downloads.map((d) => [d.url, d.username, d.password]), [['http://files.example/fw.bin', 'u', 'p']]);
    // Acknowledged: nothing left to report.
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['1 BOOT']), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    await unit.reboot();
    await settle(unit);
  });

  it('firmware Download: the unit reboots after the install and reports 1 BOOT, 7 TRANSFER COMPLETE, M Download', async () => {
    acs.script([informOk, { expect: 'empty', reply: dl('fw-1', FT_FIRMWARE) }, { expect: 'DownloadResponse', reply: null }]);
    unit = await startUnit({ clock, params: { P4503: acs.url }, cwmp: { backend } });
    await settle(unit);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['1 BOOT', '7 TRANSFER COMPLETE', 'M Download:fw-1']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      { expect: 'TransferComplete', check: (env) => assert.equal(b(env, 'TransferComplete').fault.code, 0), reply: { method: 'TransferCompleteResponse' } },
      end,
    ]);
    clock.advance(0);
    await waitFor(() => unit!.reboots.length === 1, 'reboot after firmware');
    await settle(unit);
  });

  it('a failed download reports its FaultStruct; CancelTransfer refuses a running transfer (9021) and removes a queued one', async () => {
    let release!: () => void;
    backend.hold = new Promise((r) => (release = r));
    backend.fail = new CwmpFault(9012);
    acs.script([
      informOk,
      { expect: 'empty', reply: dl('a', FT_CONFIG, 0) },
      { expect: 'DownloadResponse', reply: dl('b', FT_CONFIG, 3600) },
      { expect: 'DownloadResponse', reply: null },
    ]);
    unit = await startUnit({ clock, params: { P4503: acs.url }, cwmp: { backend } });
    await settle(unit);
    clock.advance(0);
    await waitFor(() => backend.downloads.length === 1, 'download a started');
    acs.script([
      informOk,
      { expect: 'empty', reply: { method: 'CancelTransfer', commandKey: 'a' } },
      { expect: 'Fault', check: (env) => assert.equal(b(env, 'Fault').faultCode, 9021), reply: { method: 'CancelTransfer', commandKey: 'b' } },
      { expect: 'CancelTransferResponse', reply: { method: 'CancelTransfer', commandKey: 'zzz' } },
      { expect: 'Fault', check: (env) => assert.equal(b(env, 'Fault').faultCode, 9003), reply: null },
    ]);
    unit.store.applyOrThrow({ P4503: `${acs.url}/x` }, 'cli'); // a new session now
    await settle(unit);
    acs.script([
      { expect: 'Inform', check: (env) => assert.ok(codes(env).includes('M Download:a')), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      {
        expect: 'TransferComplete',
        check: (env) => assert.deepEqual(b(env, 'TransferComplete').fault, { code: 9012, string: 'File transfer server authentication failure' }),
        reply: { method: 'TransferCompleteResponse' },
      },
      end,
    ]);
    release();
    await settle(unit);
    assert.equal(clock.timerCount, 0, 'b was cancelled: no transfer timer left');
  });

  it('ScheduleDownload: runs at the window start; bad windows 9003, bad FileType 9003, bad scheme 9013', async () => {
    const sd = (key: string, start: number, endS: number): CwmpMessage => ({
      method: 'ScheduleDownload',
      commandKey: key,
      fileType: FT_CONFIG,
      url: 'https://files.example/c.xml',
      username: '',
      password: '',
      fileSize: 0,
      targetFileName: '',
      timeWindowList: [{ windowStart: start, windowEnd: endS, windowMode: '1 At Any Time', userMessage: '', maxRetries: 0 }],
    });
    acs.script([
      informOk,
      { expect: 'empty', reply: sd('w1', 600, 1200) },
      { expect: 'ScheduleDownloadResponse', reply: sd('bad', 100, 50) },
      { expect: 'Fault', check: (env) => assert.equal(b(env, 'Fault').faultCode, 9003), reply: { method: 'Download', ...(dl('x', '2 Web Content') as object) } as CwmpMessage },
      { expect: 'Fault', check: (env) => assert.equal(b(env, 'Fault').faultCode, 9003), reply: { ...(dl('y', FT_CONFIG) as object), url: 'gopher://x/y' } as CwmpMessage },
      { expect: 'Fault', check: (env) => assert.equal(b(env, 'Fault').faultCode, 9013), reply: null },
    ]);
    unit = await startUnit({ clock, params: { P4503: acs.url }, cwmp: { backend } });
    await settle(unit);
    assert.equal(clock.nextDelay(), 600_000);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['7 TRANSFER COMPLETE', 'M ScheduleDownload:w1']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      { expect: 'TransferComplete', reply: { method: 'TransferCompleteResponse' } },
      end,
    ]);
    clock.advance(600_000);
    await settle(unit);
    assert.equal(backend.downloads.length, 1);
  });

  it('Upload of the configuration (XML, no secrets) and of the log by HTTP PUT with Digest', async () => {
    const got: Array<{ url: string; type: string; body: string }> = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (!req.headers.authorization) {
          res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="up", nonce="n1", qop="auth"', 'Content-Length': 0 });
          res.end();
          return;
        }
        got.push({ url: req.url ?? '', type: String(req.headers['content-type']), body: Buffer.concat(chunks).toString() });
        res.writeHead(201, { 'Content-Length': 0 });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const up = (key: string, fileType: string, path: string): CwmpMessage => ({
        method: 'Upload',
        commandKey: key,
        fileType,
        url: `http://127.0.0.1:${port}${path}`,
        username: 'u',
        password: 'p',
        delaySeconds: 0,
      });
      acs.script([informOk, { expect: 'empty', reply: up('u1', UT_CONFIG, '/cfg.xml') }, { expect: 'UploadResponse', reply: null }]);
      unit = await startUnit({ clock, params: { P4503: acs.url, P34: 'sip-secret', P47: 'pbx.example' } });
      await settle(unit);
      acs.script([
        { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['7 TRANSFER COMPLETE', 'M Upload:u1']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
        { expect: 'TransferComplete', check: (env) => assert.equal(b(env, 'TransferComplete').fault.code, 0), reply: { method: 'TransferCompleteResponse' } },
        { expect: 'empty', reply: up('u2', UT_LOG, '/log.txt') },
        { expect: 'UploadResponse', reply: null },
      ]);
      clock.advance(0);
      await settle(unit);
      acs.script([
        { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['7 TRANSFER COMPLETE', 'M Upload:u2']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
        { expect: 'TransferComplete', check: (env) => assert.equal(b(env, 'TransferComplete').commandKey, 'u2'), reply: { method: 'TransferCompleteResponse' } },
        end,
      ]);
      clock.advance(0);
      await settle(unit);
      assert.deepEqual(got.map((g) => g.url), ['/cfg.xml', '/log.txt']);
      assert.match(got[0]!.body, /<P47>pbx\.example<\/P47>/);
      assert.ok(!got[0]!.body.includes('sip-secret'), 'no secret in the export');
      assert.ok(!got[1]!.body.includes('sip-secret'), 'no secret in the log');
      assert.match(got[1]!.body, /P47/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('Download FileType 3 through the provisioning fetcher and codec: one batch with source cwmp; a bad file 9018 and nothing changed', async () => {
    const files: Record<string, string> = {
      '/good.xml': '<?xml version="1.0" encoding="UTF-8"?><gs_provision version="1"><config version="1"><P47>from-file.example</P47><P3>Lobby</P3></config></gs_provision>',
      '/bad.xml': '<?xml version="1.0" encoding="UTF-8"?><gs_provision version="1"><config version="1"><P47>other.example</P47><P4507>0</P4507></config></gs_provision>',
    };
    const server = http.createServer((req, res) => {
      const f = files[req.url ?? ''];
      res.writeHead(f ? 200 : 404, { 'Content-Length': Buffer.byteLength(f ?? '') });
      res.end(f ?? '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const dlc = (key: string, path: string): CwmpMessage => ({ ...(dl(key, FT_CONFIG) as object), url: `${base}${path}` }) as CwmpMessage;
    try {
      acs.script([informOk, { expect: 'empty', reply: dlc('c1', '/good.xml') }, { expect: 'DownloadResponse', reply: null }]);
      unit = await startUnit({ clock, params: { P4503: acs.url } });
      await settle(unit);
      acs.script([
        informOk,
        { expect: 'TransferComplete', check: (env) => assert.equal(b(env, 'TransferComplete').fault.code, 0), reply: { method: 'TransferCompleteResponse' } },
        { expect: 'empty', reply: dlc('c2', '/bad.xml') },
        { expect: 'DownloadResponse', reply: null },
      ]);
      clock.advance(0);
      await settle(unit);
      assert.equal(unit.store.get(47), 'from-file.example');
      assert.equal(unit.store.audit(10).find((a) => a.id === 47)?.source, 'cwmp');
      acs.script([
        informOk,
        { expect: 'TransferComplete', check: (env) => assert.equal(b(env, 'TransferComplete').fault.code, 9018), reply: { method: 'TransferCompleteResponse' } },
        { expect: 'empty', reply: dlc('c3', '/missing.xml') },
        { expect: 'DownloadResponse', reply: null },
      ]);
      clock.advance(0);
      await settle(unit);
      acs.script([
        informOk,
        { expect: 'TransferComplete', check: (env) => assert.equal(b(env, 'TransferComplete').fault.code, 9016), reply: { method: 'TransferCompleteResponse' } },
        end,
      ]);
      clock.advance(0);
      await settle(unit);
      assert.equal(unit.store.get(47), 'from-file.example', 'the bad file changed nothing');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('ScheduleDownload whose only window passed while the unit was off: TransferComplete 9020 after the boot', async () => {
    acs.script([
      informOk,
      {
        expect: 'empty',
        reply: {
          method: 'ScheduleDownload',
          commandKey: 'late',
          fileType: FT_CONFIG,
          url: 'http://files.example/c.xml',
          username: '',
          password: '',
          fileSize: 0,
          targetFileName: '',
          timeWindowList: [{ windowStart: 10, windowEnd: 20, windowMode: '1 At Any Time', userMessage: '', maxRetries: 0 }],
        },
      },
      { expect: 'ScheduleDownloadResponse', reply: null },
    ]);
    unit = await startUnit({ clock, params: { P4503: acs.url }, cwmp: { backend } });
    await settle(unit);
    await unit.service.stop('shutdown'); // powered off through the window
    clock.advance(30_000);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['1 BOOT']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      end,
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['7 TRANSFER COMPLETE', 'M ScheduleDownload:late']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      {
        expect: 'TransferComplete',
        check: (env) => {
          const t = b(env, 'TransferComplete');
          assert.equal(t.fault.code, 9020);
          assert.equal(t.startTime, '0001-01-01T00:00:00Z');
        },
        reply: { method: 'TransferCompleteResponse' },
      },
      end,
    ]);
    await unit.reboot();
    clock.advance(0); // the transfer timer: its window is over
    await settle(unit);
    assert.equal(backend.downloads.length, 0, 'nothing was fetched outside the window');
  });
});
