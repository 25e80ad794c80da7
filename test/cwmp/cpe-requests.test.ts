/**
 * Test plan: the ACS methods the unit calls on its own, through real sessions with the scripted ACS.
 * AutonomousTransferComplete: the real provisioner (fake fetch) reports its boot/requested
 * transfers, filtered by AutonomousTransferCompletePolicy, with 10 AUTONOMOUS TRANSFER COMPLETE
 * kept until acknowledged and the queue surviving a reboot. Kicked: 5 KICKED + Kicked, NextURL
 * back to the waiting browser, a fault or a dead ACS sends it to its Next URL. RequestDownload:
 * 9 REQUEST DOWNLOAD + RequestDownload, dropped once acknowledged or refused, bad types refused.
 */
import assert from 'node:assert/strict';
import { ScriptedAcs, type Step } from '../../acs-fixtures/scripted-acs';
import { AutonomousTransfers, MAX_QUEUED } from '../../cpe/cwmp/autonomous-transfers';
import { KICK_WAIT_MS, kickArgsProblem } from '../../cpe/cwmp/kicks';
import type { CwmpMessage, Envelope } from '../../cpe/cwmp/soap/types';
import type { DataModel } from '../../cpe/datamodel';
import { FetchError } from '../../cpe/provision/fetch/fetcher';
import type { FetchFn } from '../../cpe/provision/fetch/fetch-url';
import { ProvisionService } from '../../cpe/provision/provisioner';
import type { TransferReport } from '../../cpe/provision/transfer-report';
import { FakeClock } from '../support/fake-clock';
import { IDENTITY } from '../datamodel/tree-fixture';
import { settleSession, startUnit, type Unit } from './unit-fixture';

type M<K extends CwmpMessage['method']> = Extract<CwmpMessage, { method: K }>;
const b = <K extends CwmpMessage['method']>(env: Envelope | null, k: K): M<K> => {
  assert.equal(env?.body?.method, k);
  return env!.body as M<K>;
};
const codes = (env: Envelope | null): string[] => b(env, 'Inform').event.map((e) => e.code);
const informOk: Step = { expect: 'Inform', reply: { method: 'InformResponse', maxEnvelopes: 1 } };
/** The unit asks once per ACS before its first optional request (A.4.1.1). */
const methods = (list: string[]): Step => ({ expect: 'GetRPCMethods', reply: { method: 'GetRPCMethodsResponse', methodList: list } });
const ACS_METHODS = ['Inform', 'GetRPCMethods', 'TransferComplete', 'AutonomousTransferComplete', 'RequestDownload', 'Kicked'];
const end: Step = { expect: 'empty', reply: null };
const POLICY = 'Device.ManagementServer.AutonomousTransferCompletePolicy.';
const spv = (values: Array<[string, string]>): CwmpMessage => ({
  method: 'SetParameterValues',
  parameterList: values.map(([name, value]) => ({ name, value, type: (name.endsWith('Enable') ? 'boolean' : 'string') as 'boolean' | 'string' })),
  parameterKey: '',
});

const CFG = Buffer.from('<?xml version="1.0"?><gs_provision version="1"><config version="1"><P30>ntp.example.net</P30></config></gs_provision>');

describe('cwmp requests of the unit (AutonomousTransferComplete, Kicked, RequestDownload)', () => {
  let acs: ScriptedAcs;
  let unit: Unit | undefined;
  let clock: FakeClock;
  let files: Map<string, Buffer | FetchError>;
  const fetch: FetchFn = async (url) => {
    const f = files.get(url.pathname.slice(1));
    if (f === undefined) throw new FetchError('not-found', 'HTTP 404', url.href);
    if (f instanceof FetchError) throw f;
    return f;
  };
  beforeEach(async () => {
    acs = new ScriptedAcs();
    await acs.start();
    clock = new FakeClock();
    files = new Map();
  });
  afterEach(async () => {
    await unit?.stop();
    unit = undefined;
    await acs.stop();
  });
  const settle = (u: Unit): Promise<void> => settleSession(acs, u);
  async function provisioned(u: Unit): Promise<ProvisionService> {
    const p = u.others.provision as ProvisionService;
    await p.idle();
    return p;
  }
  const withProvisioner = (): Parameters<typeof startUnit>[0] => ({
    clock,
    // P238=2: no firmware check at boot; P192 empty: no firmware server; P22296=0: no schedule.
    params: { P4503: acs.url, P212: '1', P237: `127.0.0.1:1/cfg`, P238: '2', P192: '', P22296: '0' },
    others: { provision: (ctx) => new ProvisionService(ctx, { fetch }) },
  });

  it('reports nothing while the policy is off; once enabled, a provisioned file comes as AutonomousTransferComplete', async () => {
    files.set(`cfg/cfg${IDENTITY.mac}.xml`, CFG);
    acs.script([informOk, { expect: 'empty', reply: spv([[`${POLICY}Enable`, 'true']]) }, { expect: 'SetParameterValuesResponse', reply: null }]);
    unit = await startUnit(withProvisioner());
    await settle(unit);
    const p = await provisioned(unit);
    assert.equal(unit.store.get(30), 'ntp.example.net');
    // the boot check ran before the policy was on: nothing to report, no session
    assert.equal(unit.service.sessions, 1);

    let atc: M<'AutonomousTransferComplete'> | undefined;
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['10 AUTONOMOUS TRANSFER COMPLETE']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      {
        expect: 'AutonomousTransferComplete',
        check: (env) => {
          atc = b(env, 'AutonomousTransferComplete');
        },
        reply: { method: 'AutonomousTransferCompleteResponse' },
      },
      end,
    ]);
    await p.checkNow('request');
    await settle(unit);
    assert.ok(atc);
    assert.equal(atc.transferUrl, `http://127.0.0.1:1/cfg/cfg${IDENTITY.mac}.xml`);
    assert.equal(atc.isDownload, true);
    assert.equal(atc.fileType, '3 Vendor Configuration File');
    assert.equal(atc.fileSize, CFG.length);
    assert.equal(atc.targetFileName, `cfg${IDENTITY.mac}.xml`);
    assert.deepEqual(atc.fault, { code: 0, string: '' });
    assert.match(atc.startTime, /^\d{4}-\d\d-\d\dT/);

    // acknowledged: the next session carries neither the event nor the report
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), []), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    unit.service.requestSession();
    await settle(unit);
  });

  it('ResultTypeFilter=Failure: successes are not reported; a server that fails is, with its fault code, kept across a reboot until acknowledged', async () => {
    acs.script([
      informOk,
      { expect: 'empty', reply: spv([[`${POLICY}Enable`, 'true'], [`${POLICY}ResultTypeFilter`, 'Failure']]) },
      { expect: 'SetParameterValuesResponse', reply: null },
    ]);
    files.set(`cfg/cfg${IDENTITY.mac}.xml`, CFG);
    unit = await startUnit(withProvisioner());
    await settle(unit);
    const p = await provisioned(unit);
    await p.checkNow('request'); // applied: a success, filtered out
    await unit.service.idle();
    assert.equal(unit.service.sessions, 1);

    files.set(`cfg/cfg${IDENTITY.mac}`, new FetchError('unreachable', 'connection refused', 'http://127.0.0.1:1/'));
    // the ACS is down when the failure is reported: the report waits, and survives a reboot
    acs.script([{ expect: 'Inform', reply: { http: 503, headers: { 'Retry-After': '600' } } }]);
    await p.checkNow('request');
    await settle(unit);
    files.clear(); // the boot check after the reboot finds nothing: nothing more to report
    await unit.reboot();
    let atc: M<'AutonomousTransferComplete'> | undefined;
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['1 BOOT', '10 AUTONOMOUS TRANSFER COMPLETE']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      { expect: 'AutonomousTransferComplete', check: (env) => void (atc = b(env, 'AutonomousTransferComplete')), reply: { method: 'AutonomousTransferCompleteResponse' } },
      end,
    ]);
    await (await provisioned(unit)).idle();
    await settle(unit);
    assert.ok(atc);
    assert.equal(atc.fault.code, 9015);
    assert.match(atc.fault.string, /connection refused/);
    assert.equal(atc.fileSize, 0);
  });

  it('the policy is validated like any parameter (9007) and read back', async () => {
    acs.script([
      informOk,
      { expect: 'empty', reply: spv([[`${POLICY}TransferTypeFilter`, 'Sideways']]) },
      {
        expect: 'Fault',
        check: (env) => {
          const f = b(env, 'Fault');
          assert.equal(f.faultCode, 9003);
          assert.equal(f.setParameterValuesFault[0]?.code, 9007);
        },
        reply: spv([[`${POLICY}FileTypeFilter`, '1 Firmware Upgrade Image, X 000B82 Ringtone']]),
      },
      { expect: 'SetParameterValuesResponse', reply: { method: 'GetParameterValues', parameterNames: [POLICY] } },
      {
        expect: 'GetParameterValuesResponse',
        check: (env) => {
          const v = new Map(b(env, 'GetParameterValuesResponse').parameterList.map((x) => [x.name, x.value]));
          assert.equal(v.get(`${POLICY}Enable`), 'false');
          assert.equal(v.get(`${POLICY}TransferTypeFilter`), 'Both');
          assert.equal(v.get(`${POLICY}FileTypeFilter`), '1 Firmware Upgrade Image,X 000B82 Ringtone');
        },
        reply: null,
      },
    ]);
    unit = await startUnit({ clock, params: { P4503: acs.url } });
    await settle(unit);
  });

  it('the queue keeps the newest reports when the ACS stays away', () => {
    const m = new Map<string, string>();
    const st = { get: (k: string) => m.get(k), set: (k: string, v: string) => void m.set(k, v), delete: (k: string) => void m.delete(k) };
    const dm = { stateValue: (k: string, d: string) => (k === 'cwmp.atc.enable' ? 'true' : d) } as unknown as DataModel;
    const q = new AutonomousTransfers(st, dm);
    const r = (i: number): TransferReport => ({ isDownload: true, file: 'firmware', url: `http://f/${i}`, fileName: 'ht813fw.bin', size: i, startTime: 0, completeTime: 1 });
    for (let i = 0; i < MAX_QUEUED + 3; i++) assert.equal(q.record(r(i)), true);
    const again = new AutonomousTransfers(st, dm);
    assert.equal(again.pending().length, MAX_QUEUED);
    assert.equal(again.pending()[0]?.message.fileSize, 3);
    assert.equal(again.pending()[0]?.message.fileType, '1 Firmware Upgrade Image');
  });

  it('Kicked: 5 KICKED, the arguments, and the ACS NextURL back to the browser', async () => {
    acs.script([informOk, end]);
    unit = await startUnit({ clock, params: { P4503: acs.url } });
    await settle(unit);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['5 KICKED']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      methods(ACS_METHODS),
      {
        expect: 'Kicked',
        check: (env) => assert.deepEqual(b(env, 'Kicked'), { method: 'Kicked', command: 'subscribe', referer: 'http://portal.example/', arg: 'plan=gold', next: 'http://portal.example/done' }),
        reply: { method: 'KickedResponse', nextUrl: 'http://portal.example/welcome?u=42' },
      },
      end,
    ]);
    const outcome = await unit.service.kick({ command: 'subscribe', referer: 'http://portal.example/', arg: 'plan=gold', next: 'http://portal.example/done' });
    assert.equal(outcome, 'http://portal.example/welcome?u=42');
    await settle(unit);
  });

  it('Kicked refused by the ACS (fault 8001): the session goes on, the browser gets undefined (its own Next URL)', async () => {
    acs.script([informOk, end]);
    unit = await startUnit({ clock, params: { P4503: acs.url } });
    await settle(unit);
    acs.script([
      informOk,
      // an ACS without GetRPCMethods: everything is tried
      { expect: 'GetRPCMethods', reply: { method: 'Fault', faultCode: 8000, faultString: 'Method not supported', setParameterValuesFault: [] } },
      { expect: 'Kicked', reply: { method: 'Fault', faultCode: 8001, faultString: 'Request denied', setParameterValuesFault: [] } },
      { expect: 'empty', reply: { method: 'GetRPCMethods' } },
      { expect: 'GetRPCMethodsResponse', reply: null },
    ]);
    assert.equal(await unit.service.kick({ command: 'x', referer: '', arg: '', next: '' }), undefined);
    await settle(unit);
    assert.equal(unit.service.lastResult?.ok, true);
  });

  it('a kick waits at most KICK_WAIT_MS for a session (ACS backing off)', async () => {
    acs.script([{ expect: 'Inform', reply: { http: 503, headers: { 'Retry-After': '3600' } } }]);
    unit = await startUnit({ clock, params: { P4503: acs.url } });
    await settle(unit);
    const p = unit.service.kick({ command: 'x', referer: '', arg: '', next: 'http://portal.example/' });
    clock.advance(KICK_WAIT_MS);
    assert.equal(await p, undefined);
  });

  it('kick arguments are checked', () => {
    assert.equal(kickArgsProblem({ command: 'go', referer: '', arg: '', next: 'https://a.example/' }), undefined);
    assert.match(kickArgsProblem({ command: '', referer: '', arg: '', next: '' }) ?? '', /command is missing/);
    assert.match(kickArgsProblem({ command: 'x'.repeat(33), referer: '', arg: '', next: '' }) ?? '', /command is longer than 32/);
    assert.match(kickArgsProblem({ command: 'go', referer: '', arg: '', next: 'javascript:alert(1)' }) ?? '', /next is not an http/);
  });

  it('RequestDownload: 9 REQUEST DOWNLOAD, the file type and arguments; acknowledged once, refused once, bad types refused at once', async () => {
    acs.script([informOk, end]);
    unit = await startUnit({ clock, params: { P4503: acs.url } });
    await settle(unit);
    assert.throws(() => unit!.service.requestDownload({ fileType: 'firmware please', fileTypeArg: [] }), /not a download file type/);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['9 REQUEST DOWNLOAD']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      methods(ACS_METHODS),
      {
        expect: 'RequestDownload',
        check: (env) => assert.deepEqual(b(env, 'RequestDownload'), { method: 'RequestDownload', fileType: '1 Firmware Upgrade Image', fileTypeArg: [{ name: 'Version', value: '1.0.3.2' }] }),
        reply: { method: 'RequestDownloadResponse' },
      },
      end,
    ]);
    unit.service.requestDownload({ fileType: '1 Firmware Upgrade Image', fileTypeArg: [{ name: 'Version', value: '1.0.3.2' }] });
    await settle(unit);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['9 REQUEST DOWNLOAD']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      { expect: 'RequestDownload', reply: { method: 'Fault', faultCode: 8001, faultString: 'Request denied', setParameterValuesFault: [] } },
      end,
    ]);
    unit.service.requestDownload({ fileType: '3 Vendor Configuration File', fileTypeArg: [] });
    await settle(unit);
    assert.ok(unit.log.records.some((r) => r.msg === 'the ACS refused RequestDownload'));
    // neither is asked again
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), []), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    unit.service.requestSession();
    await settle(unit);
  });

  it('an ACS that does not list RequestDownload or Kicked: nothing sent, the request dropped, the browser let go', async () => {
    acs.script([informOk, end]);
    unit = await startUnit({ clock, params: { P4503: acs.url } });
    await settle(unit);
    acs.script([
      { expect: 'Inform', check: (env) => assert.deepEqual(codes(env), ['5 KICKED', '9 REQUEST DOWNLOAD']), reply: { method: 'InformResponse', maxEnvelopes: 1 } },
      methods(['Inform', 'GetRPCMethods', 'TransferComplete']),
      end,
    ]);
    unit.service.requestDownload({ fileType: '1 Firmware Upgrade Image', fileTypeArg: [] });
    const outcome = await unit.service.kick({ command: 'x', referer: '', arg: '', next: 'http://portal.example/' });
    assert.equal(outcome, undefined);
    await settle(unit);
    assert.ok(unit.log.records.some((r) => r.msg === 'the ACS does not support RequestDownload: request dropped'));
    // the answer is remembered for this ACS: no second GetRPCMethods, and nothing pending
    acs.script([{ expect: 'Inform', check: (env) => assert.deepEqual(codes(env), []), reply: { method: 'InformResponse', maxEnvelopes: 1 } }, end]);
    unit.service.requestSession();
    await settle(unit);
  });
});
