/*
 * The incoming-request rules and the identity headers on a real unit (hw + sip + calls services,
 * real sockets on 127.0.0.1) against SIPp, each peer on a free port and stopped by pid.
 * Plan: (a) P243 on and P47 naming another address: SIPp's INVITE gets 403 and the log names the
 * rule and SIPp's address; P243 turned off (no restart), the same call rings; (b) P258 on: an
 * INVITE to a wrong user gets 404, to the user ID rings; (c) P2346 on: SIPp goes through the 401
 * with the right password (the phone answers, BYE) and with a wrong one (403); the FXO account
 * (P2446) lets the authenticated call through to the FXO gateway, which answers it on a
 * simulated PSTN line; (d) P28127 lists SIPp's number: 603; (e) P2338 = P2339 = 2: SIPp as the
 * called party checks "Privacy: none" and the P-Preferred-Identity of the unit's INVITE.
 * SIPp's exit code is the verdict of each scenario (test/calls/scenarios/). Peers missing → fail.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CentralOffice } from '../../cpe/hw/sim/central-office';
import type { HwService } from '../../cpe/hw/service';
import { SystemClock } from '../../cpe/shared/clock';
import { CapturingLogger } from '../../cpe/shared/logger';
import type { SipService } from '../../cpe/voice/accounts/sip-service';
import { haveCommand, startPeer, type Peer } from '../support/peer';
import { freePort } from '../support/ports';
import { bootUnit, freeRtpPort, sleep, type TestUnit } from './support/unit';

const SCENARIOS = path.join(__dirname, 'scenarios');

function exitCode(peer: Peer, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    if (peer.proc.exitCode !== null) return resolve(peer.proc.exitCode);
    const t = setTimeout(() => resolve(null), timeoutMs);
    peer.proc.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  for (let t = 0; t < ms; t += 50) {
    if (check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Log records of refusals. */
function refusals(log: CapturingLogger): Array<Record<string, unknown>> {
  return log.records.filter((x) => x.msg === 'sip: incoming request refused' && x.level === 'info').map((x) => ({ ...x.bindings, ...(x.obj as object) }));
}

describe('incoming request rules and identity headers against SIPp (real sockets)', function () {
  this.timeout(60_000);
  let dir: string;
  let unit: TestUnit | undefined;
  let sipp: Peer | undefined;

  before(() => {
    assert.ok(haveCommand('sipp'), 'sipp is required (apt-get install sip-tester)');
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-screen-'));
  });
  afterEach(async () => {
    await sipp?.stop();
    await unit?.stop();
    sipp = unit = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs a UAC scenario once against `port` (default: the FXS account), calling `service`; resolves with the peer. */
  async function call(scenario: string, service: string, extra: string[] = [], port = unit!.sipPort): Promise<Peer> {
    const args = ['-sf', path.join(SCENARIOS, scenario), `127.0.0.1:${port}`, '-s', service, '-i', '127.0.0.1', '-mi', '127.0.0.1', '-ci', '127.0.0.1',
      '-cp', String(await freePort()), '-p', String(await freePort()), '-mp', String(await freeRtpPort()), '-m', '1', '-nostdin', '-timeout', '20s', '-recv_timeout', '8000', ...extra];
    sipp = await startPeer('sipp', args, { cwd: dir });
    return sipp;
  }

  async function passes(peer: Peer, what: string): Promise<void> {
    assert.equal(await exitCode(peer, 20_000), 0, `SIPp (${what}) failed:\n${peer.output().slice(-3000)}`);
    await peer.stop();
    sipp = undefined;
  }

  it('(a) P243: an INVITE from an address that is not the proxy gets 403 and a log line; P243 off again, the same call rings', async () => {
    const log = new CapturingLogger();
    unit = await bootUnit({ P47: '127.0.0.2', P243: '1' }, log);
    await passes(await call('uac_not_from_proxy.xml', '1001'), 'not from proxy → 403');
    const r = refusals(log);
    assert.equal(r.length, 1, JSON.stringify(r));
    assert.equal(r[0]?.rule, 'P243 accept SIP from proxy only');
    assert.match(String(r[0]?.source), /^udp:127\.0\.0\.1:\d+$/);
    assert.equal(unit.phone.rings, 0, 'the phone never rang');
    unit.device.store.applyOrThrow({ P243: '0' }, 'cli');
    const peer = await call('uac_cancel.xml', '1001');
    await unit.phone.waitRings(1, 10_000);
    await passes(peer, 'P243 off: rings, CANCEL');
  });

  it('(b) P258: an INVITE to a wrong user gets 404; to P35 it rings', async () => {
    unit = await bootUnit({ P258: '1' });
    await passes(await call('uac_wrong_user.xml', '9999'), 'wrong user → 404');
    const peer = await call('uac_cancel.xml', '1001');
    await unit.phone.waitRings(1, 10_000);
    await passes(peer, 'the right user rings');
  });

  it('(c) P2346: through the 401 with the right password the phone rings and answers; a wrong password gets 403', async () => {
    const log = new CapturingLogger();
    unit = await bootUnit({ P2346: '1', P36: '1001', P34: 'secret1001' }, log);
    const peer = await call('uac_auth.xml', '1001', ['-au', '1001', '-ap', 'secret1001']);
    await unit.phone.waitRings(1, 10_000);
    unit.phone.offHook();
    await passes(peer, 'digest with the right password');
    await until('the call to end', () => unit!.device.status.get('voice.calls')?.[0]?.calls.length === 0);
    unit.phone.onHook();
    await passes(await call('uac_auth_wrong.xml', '1001', ['-au', '1001', '-ap', 'not-the-password']), 'wrong password → 403');
    assert.deepEqual(refusals(log).map((x) => x.status), [401, 401, 403]);
    assert.equal(log.text().includes('secret1001'), false, 'the password is never logged');
  });

  it('(c) P2446: the FXO account challenges too; the authenticated call reaches the FXO gateway, which answers on the PSTN line', async () => {
    const fxoSip = await freePort();
    unit = await bootUnit({ P401: '1', P731: '0', P735: '2000', P736: '2000', P734: 'fxo-secret', P740: String(fxoSip), P739: String(await freeRtpPort()), P2446: '1' });
    const sip = unit.device.service<SipService>('sip');
    await until('account 2 on its port', () => sip?.account(2).transport?.localAddress('udp').port === fxoSip);
    const co = new CentralOffice({ clock: new SystemClock(), numberLength: 7, answerAfterMs: 500 });
    unit.device.service<HwService>('hw')!.plugLine(co);
    const peer = await call('uac_auth.xml', '2000', ['-au', '2000', '-ap', 'fxo-secret'], fxoSip);
    await until('the gateway to bridge the call', () => unit!.device.status.get('voice.fxo')?.state === 'bridged');
    await passes(peer, 'FXO account, digest');
  });

  it('(d) P28127: a call from a blacklisted number gets 603 Decline; the phone never rings', async () => {
    const log = new CapturingLogger();
    unit = await bootUnit({ P28127: '5550000,6265551234' }, log);
    await passes(await call('uac_blacklisted.xml', '1001'), 'blacklisted → 603');
    assert.equal(unit.phone.rings, 0, 'the phone never rang');
    assert.deepEqual(refusals(log).map((x) => [x.rule, x.caller]), [['P28127 incoming blacklist', '6265551234']]);
  });

  it('(e) P2338 = P2339 = 2: SIPp receives the INVITE with "Privacy: none" and the caller\'s P-Preferred-Identity', async () => {
    const sippPort = await freePort();
    unit = await bootUnit({ P47: `127.0.0.1:${sippPort}`, P3: 'Alice', P2338: '2', P2339: '2' });
    sipp = await startPeer('sipp', ['-sf', path.join(SCENARIOS, 'uas_identity.xml'), '-i', '127.0.0.1', '-ci', '127.0.0.1', '-cp', String(await freePort()), '-p', String(sippPort), '-m', '1', '-nostdin', '-timeout', '20s'], { cwd: dir });
    const phone = unit.phone;
    phone.offHook();
    await phone.hears('dial', { timeoutMs: 5000 });
    await phone.dial('1000#');
    await phone.hears('busy', { timeoutMs: 10_000 });
    await passes(sipp, 'identity headers checked by the UAS');
    phone.onHook();
  });
});
