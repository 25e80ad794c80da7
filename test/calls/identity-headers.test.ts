/*
 * P2338/P2438 "Use Privacy header" and P2339/P2439 "Use P-Preferred-Identity header" on outgoing
 * INVITEs (RFC 3323 §4.2, RFC 3325 §9.2). Plan: the pure rule as a table (default / no / yes ×
 * anonymous or not × the FXO caller-ID transport P839); then over the SIP core with a FakeClock:
 * the phone dials with *67 and without, for each setting, and the INVITE on the wire carries
 * what the table says; a change of P2338 counts for the next call; the FXO column is read for
 * profile 2.
 */
import assert from 'node:assert/strict';
import { readSignallingSettings } from '../../cpe/voice/calls/call-settings';
import { applyIdentityHeaders, readIdentityHeaders, type HeaderChoice } from '../../cpe/voice/calls/identity-headers';
import { decodeNameAddr, decodeUri, HeaderList, sipUri, type SipRequest, type SipUri } from '../../cpe/voice/sip/syntax';
import { MapParams, peerSdp } from './fxs-fakes';
import { sipRig } from './sip-rig';

const AOR = sipUri('pbx.test', { user: '1001' }) as SipUri;

function invite(from = '"Alice" <sip:1001@pbx.test>;tag=a1', headers: Array<[string, string]> = []): SipRequest {
  const h = new HeaderList();
  for (const [n, v] of headers) h.add(n, v);
  return {
    type: 'request', method: 'INVITE', uri: decodeUri('sip:1002@pbx.test'), via: [], from: decodeNameAddr(from), to: decodeNameAddr('<sip:1002@pbx.test>'),
    callId: 'c', cseq: { seq: 1, method: 'INVITE' }, contact: [], route: [], recordRoute: [], headers: h, body: Buffer.alloc(0),
  };
}

const ANON_FROM = '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=a1';

const TABLE: Array<[string, HeaderChoice, HeaderChoice, boolean, string | undefined, string | undefined]> = [
  // name, privacy, ppi, anonymous, Privacy, P-Preferred-Identity
  ['default, a plain call: neither (as before)', 'default', 'default', false, undefined, undefined],
  ['default, anonymous: Privacy id and the AOR as PPI (as before)', 'default', 'default', true, 'id', '<sip:1001@pbx.test>'],
  ['yes, a plain call: Privacy none, PPI the From identity', 'yes', 'yes', false, 'none', '"Alice" <sip:1001@pbx.test>'],
  ['yes, anonymous: Privacy id, PPI the AOR', 'yes', 'yes', true, 'id', '<sip:1001@pbx.test>'],
  ['no, anonymous: neither header (From stays anonymous)', 'no', 'no', true, undefined, undefined],
  ['no, a plain call: neither', 'no', 'no', false, undefined, undefined],
  ['Privacy yes alone', 'yes', 'default', false, 'none', undefined],
  ['PPI yes alone', 'default', 'yes', false, undefined, '"Alice" <sip:1001@pbx.test>'],
  ['Privacy no, PPI default, anonymous: PPI only', 'no', 'default', true, undefined, '<sip:1001@pbx.test>'],
];

describe('calls: Privacy and P-Preferred-Identity headers (P2338/P2339)', () => {
  for (const [name, privacy, ppi, anonymous, wantPrivacy, wantPpi] of TABLE) {
    it(name, () => {
      const req = invite(anonymous ? ANON_FROM : undefined);
      applyIdentityHeaders(req, { anonymous, aor: AOR, settings: { privacy, ppi } });
      assert.deepEqual(req.headers.getAll('Privacy'), wantPrivacy ? [wantPrivacy] : []);
      assert.deepEqual(req.headers.getAll('P-Preferred-Identity'), wantPpi ? [wantPpi] : []);
    });
  }

  it('the FXO caller-ID transport (P839): its PAI or PPI is kept, not doubled, under yes; PPI no drops its PPI', () => {
    const pai = invite(undefined, [['P-Asserted-Identity', '<sip:6265551234@pbx.test>']]);
    applyIdentityHeaders(pai, { anonymous: false, aor: AOR, settings: { privacy: 'default', ppi: 'yes' } });
    assert.deepEqual(pai.headers.getAll('P-Preferred-Identity'), []);
    const ppi = invite(undefined, [['P-Preferred-Identity', '"X" <sip:6265551234@pbx.test>']]);
    applyIdentityHeaders(ppi, { anonymous: false, aor: AOR, settings: { privacy: 'default', ppi: 'yes' } });
    assert.deepEqual(ppi.headers.getAll('P-Preferred-Identity'), ['"X" <sip:6265551234@pbx.test>']);
    applyIdentityHeaders(ppi, { anonymous: false, aor: AOR, settings: { privacy: 'default', ppi: 'no' } });
    assert.deepEqual(ppi.headers.getAll('P-Preferred-Identity'), []);
    // P839 = From: the PSTN caller is the From identity, and so the preferred one
    const from = invite('"PSTN CALLER" <sip:6265551234@pbx.test>;tag=x');
    applyIdentityHeaders(from, { anonymous: false, aor: AOR, settings: { privacy: 'default', ppi: 'yes' } });
    assert.deepEqual(from.headers.getAll('P-Preferred-Identity'), ['"PSTN CALLER" <sip:6265551234@pbx.test>']);
  });

  it('read per profile: P2338/P2339 for the FXS account, P2438/P2439 for the FXO account; absent = default', () => {
    const p = new MapParams({ 2338: '2', 2339: '1', 2438: '1', 2439: '2' });
    assert.deepEqual(readIdentityHeaders(p, 1), { privacy: 'yes', ppi: 'no' });
    assert.deepEqual(readIdentityHeaders(p, 2), { privacy: 'no', ppi: 'yes' });
    assert.deepEqual(readIdentityHeaders(new MapParams({}), 1), { privacy: 'default', ppi: 'default' });
    assert.deepEqual(readSignallingSettings(p, 2).identityHeaders, { privacy: 'no', ppi: 'yes' });
  });

  it('over the SIP core: *67 and plain calls carry what the setting says, and a change counts for the next call', () => {
    const rig = sipRig();
    // numbers dialed go to sip:<number>@127.0.0.2 (the "server")
    const a = rig.unit('127.0.0.1', '1001', {}, {}, { domain: () => '127.0.0.2' });
    rig.unit('127.0.0.2', '1002');
    const invites = (): SipRequest[] => rig.net.messages().filter((m): m is SipRequest => m.type === 'request' && m.method === 'INVITE');
    const call = (dialed: string): SipRequest => {
      a.phone.offHook();
      a.phone.dial(dialed);
      rig.clock.advance(5);
      a.phone.onHook();
      rig.clock.advance(5);
      return invites().at(-1) as SipRequest;
    };
    // default (the sip-rig settings carry none): as before
    let inv = call('1002#');
    assert.equal(inv.headers.has('Privacy'), false);
    assert.equal(inv.headers.has('P-Preferred-Identity'), false);
    inv = call('*671002#');
    assert.equal(inv.headers.get('Privacy'), 'id');
    assert.equal(inv.headers.get('P-Preferred-Identity'), '<sip:1001@127.0.0.1>');
    // yes / yes
    a.settings.value = { ...a.settings.value, identityHeaders: { privacy: 'yes', ppi: 'yes' } };
    inv = call('1002#');
    assert.equal(inv.headers.get('Privacy'), 'none');
    assert.equal(inv.headers.get('P-Preferred-Identity'), '<sip:1001@127.0.0.1>');
    // no / no: even *67 sends neither, its From stays anonymous
    a.settings.value = { ...a.settings.value, identityHeaders: { privacy: 'no', ppi: 'no' } };
    inv = call('*671002#');
    assert.equal(inv.headers.has('Privacy'), false);
    assert.equal(inv.headers.has('P-Preferred-Identity'), false);
    assert.equal(inv.from.uri.kind === 'sip' ? inv.from.uri.host : '', 'anonymous.invalid');
    // the FXO gateway's own invite path (P839 = PPI) under PPI yes: one PPI, the PSTN caller's
    a.settings.value = { ...a.settings.value, identityHeaders: { privacy: 'default', ppi: 'yes' } };
    a.sip.invite({ target: 'sip:1002@127.0.0.2', offer: peerSdp(40000), anonymous: false, callerId: { via: 'ppi', number: '6265551234' } });
    rig.clock.advance(5);
    assert.deepEqual(invites().at(-1)?.headers.getAll('P-Preferred-Identity').map((v) => /sip:(\d+)@/.exec(v)?.[1]), ['6265551234']);
  });
});
