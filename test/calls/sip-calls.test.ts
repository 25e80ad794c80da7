/*
 * Calls between units over the real SIP core (transactions, dialogs) on the in-memory network,
 * with a FakeClock. Plan: a basic call A → B (INVITE/180/200/ACK/BYE) with SDP both ways; CANCEL
 * while ringing (487); busy 486; hold by re-INVITE; re-INVITE glare 491 resolved by the retry;
 * a REFER the far end refuses rings A back; a far end that vanishes: hold re-INVITE times out
 * and the call ends; session-timer expiry ends a call whose refresher went silent; an INVITE
 * that never gets an answer ends on Timer B with reorder; every flow ends with no dialog left.
 */
import assert from 'node:assert/strict';
import { decodeMessageSummary, decodeReplaces, decodeSessionExpires, decodeSipfragStatus, encodeMessageSummary, referToWithReplaces } from '../../cpe/voice/calls/call-headers';
import { sipRig, starIp } from './sip-rig';
import { peerSdp } from './fxs-fakes';
import type { SipRequest } from '../../cpe/voice/sip/syntax';

function methods(rig: ReturnType<typeof sipRig>): string[] {
  return rig.net.messages().map((m) => (m.type === 'request' ? m.method : `${m.status}`));
}

describe('call header codecs', () => {
  it('message-summary (RFC 3842 §5.2)', () => {
    assert.deepEqual(decodeMessageSummary('Messages-Waiting: yes\r\nMessage-Account: sip:1001@h\r\nVoice-Message: 2/8 (0/2)\r\n'), { waiting: true, account: 'sip:1001@h', newMessages: 2, oldMessages: 8 });
    assert.deepEqual(decodeMessageSummary(encodeMessageSummary({ waiting: false })), { waiting: false });
    assert.throws(() => decodeMessageSummary('Voice-Message: 1/0\r\n'), /without Messages-Waiting/);
    assert.throws(() => decodeMessageSummary('Messages-Waiting: maybe\r\n'), /yes or no/);
  });
  it('sipfrag status (RFC 3420)', () => {
    assert.equal(decodeSipfragStatus('SIP/2.0 100 Trying\r\n'), 100);
    assert.equal(decodeSipfragStatus('SIP/2.0 603 Declined'), 603);
    assert.throws(() => decodeSipfragStatus('hello'), /sipfrag/);
  });
  it('Replaces in Refer-To (RFC 3891 §6.1) and Session-Expires (RFC 4028 §4)', () => {
    const r = { callId: 'abc@h', toTag: 't1', fromTag: 'f1' };
    assert.equal(referToWithReplaces('sip:1009@h', r), '<sip:1009@h?Replaces=abc%40h%3Bto-tag%3Dt1%3Bfrom-tag%3Df1>');
    assert.deepEqual(decodeReplaces('abc@h;to-tag=t1;from-tag=f1'), r);
    assert.throws(() => decodeReplaces('abc@h;to-tag=t1'));
    assert.deepEqual(decodeSessionExpires('1800;refresher=uac'), { seconds: 1800, refresher: 'uac' });
    assert.deepEqual(decodeSessionExpires('90'), { seconds: 90 });
    assert.throws(() => decodeSessionExpires('soon'));
  });
});

describe('calls over the SIP core (in-memory network)', () => {
  it('A calls B: 180 ringback, 200, ACK, RTP endpoints exchanged, BYE', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(1);
    assert.equal(b.line.state, 'ringing');
    assert.ok(b.phone.ringing);
    rig.clock.advance(1);
    assert.equal(a.phone.tone, a.line.settings().tones.ringback);
    b.phone.offHook();
    rig.clock.advance(5);
    assert.equal(a.line.state, 'talking');
    assert.equal(b.line.state, 'talking');
    const am = a.media.sessions[0]!.last!;
    const bm = b.media.sessions[0]!.last!;
    assert.deepEqual([am.remoteAddress, am.remotePort, am.direction], ['127.0.0.2', 5004, 'sendrecv']);
    assert.deepEqual([bm.remoteAddress, bm.remotePort, bm.direction], ['127.0.0.1', 5004, 'sendrecv']);
    assert.deepEqual(methods(rig), ['INVITE', '180', '200', 'ACK']);
    a.phone.onHook();
    rig.clock.advance(5);
    assert.equal(b.line.state, 'dialTone');
    assert.deepEqual(methods(rig).slice(4), ['BYE', '200']);
    assert.equal(a.sip.activeDialogs + b.sip.activeDialogs, 0);
    rig.clock.runAll();
    assert.equal(a.layer.size + b.layer.size, 0, 'every transaction ended');
  });

  it('hanging up while B rings: CANCEL, 487, B idle', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    a.phone.onHook();
    rig.clock.advance(5);
    assert.equal(b.line.state, 'idle');
    assert.equal(b.phone.ringing, undefined);
    assert.ok(methods(rig).includes('CANCEL'));
    assert.ok(methods(rig).includes('487'));
    assert.equal(a.sip.activeDialogs + b.sip.activeDialogs, 0);
  });

  it('CANCEL before any provisional waits for one (RFC 3261 §9.1)', () => {
    const rig = sipRig();
    rig.net.latencyMs = 10;
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    a.phone.onHook();
    assert.ok(!methods(rig).includes('CANCEL'));
    rig.clock.advance(100);
    assert.ok(methods(rig).includes('CANCEL'));
    assert.equal(b.line.state, 'idle');
  });

  it('B busy: 486, A hears busy', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    b.phone.offHook();
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    assert.equal(a.phone.tone, a.line.settings().tones.busy);
    assert.equal(b.line.state, 'dialTone');
  });

  it('hold: re-INVITE sendonly answered recvonly; resume', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    b.phone.offHook();
    rig.clock.advance(5);
    a.phone.flash();
    rig.clock.advance(5);
    assert.equal(b.media.sessions[0]!.last!.direction, 'recvonly');
    assert.equal(a.media.sessions[0]!.last!.direction, 'sendonly');
    a.phone.flash();
    rig.clock.advance(5);
    assert.equal(b.media.sessions[0]!.last!.direction, 'sendrecv');
    assert.equal(a.line.state, 'talking');
  });

  it('re-INVITE glare: both get 491, the retries (2.1–4 s / 0–2 s) succeed', () => {
    const rig = sipRig();
    rig.net.latencyMs = 20;
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(100);
    b.phone.offHook();
    rig.clock.advance(100);
    a.phone.flash();
    b.phone.flash();
    rig.clock.advance(100);
    assert.equal(methods(rig).filter((m) => m === '491').length, 2);
    rig.clock.advance(5000);
    assert.equal(a.media.sessions[0]!.last!.direction, 'inactive');
    assert.equal(b.media.sessions[0]!.last!.direction, 'inactive');
    assert.equal(a.line.state, 'dialTone');
    assert.equal(b.line.state, 'dialTone');
  });

  it('a blind transfer whose new call fails (B\'s INVITE times out, NOTIFY 408) rings A back to B', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    b.phone.offHook();
    rig.clock.advance(5);
    a.phone.flash();
    rig.clock.advance(5);
    a.phone.dial('*871009#');
    a.phone.onHook();
    rig.clock.advance(5);
    assert.ok(methods(rig).includes('REFER'));
    assert.equal(a.line.state, 'idle', 'waiting for the transfer outcome');
    rig.clock.advance(33_000);
    assert.equal(a.line.state, 'recall');
    a.phone.offHook();
    rig.clock.advance(5);
    assert.equal(a.line.state, 'talking');
  });

  it('the far end vanishes: the hold re-INVITE times out (Timer B), the call ends, media stops', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    b.phone.offHook();
    rig.clock.advance(5);
    rig.net.drop = () => true;
    a.phone.flash();
    rig.clock.advance(32_000);
    assert.equal(a.media.live().length, 0);
    assert.equal(a.sip.activeDialogs, 0);
    a.phone.onHook();
    assert.equal(a.line.state, 'idle');
  });

  it('session timer: the silent refresher\'s call ends at interval − min(32, interval/3)', () => {
    const rig = sipRig();
    const st = { enabled: true, expiresS: 90, minSeS: 90, callerRequests: true, calleeRequests: false, uacRefresher: 1 as const, uasRefresher: 1 as const };
    const a = rig.unit('127.0.0.1', '1001', {}, { sessionTimer: st });
    const b = rig.unit('127.0.0.2', '1002', {}, { sessionTimer: st });
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    b.phone.offHook();
    rig.clock.advance(5);
    const invite = rig.net.messages().find((m) => m.type === 'request' && m.method === 'INVITE') as SipRequest;
    assert.equal(invite.headers.get('Session-Expires'), '90;refresher=uac');
    rig.clock.advance(45_000);
    assert.equal(methods(rig).filter((m) => m === 'INVITE').length, 2, 'A refreshes at half the interval');
    assert.equal(b.line.state, 'talking');
    rig.net.drop = (r) => r.message.type === 'request' && r.message.method === 'INVITE';
    rig.clock.advance(60_000);
    assert.equal(b.line.state, 'dialTone', 'B ended the call when no refresh came');
    assert.ok(b.media.live().length === 0);
  });

  it('an INVITE nobody answers ends on Timer B (32 s) with reorder', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.9'));
    rig.clock.advance(31_999);
    assert.equal(a.line.state, 'calling');
    rig.clock.advance(1);
    assert.equal(a.line.state, 'failed');
    assert.equal(a.phone.tone, a.line.settings().tones.reorder);
    assert.equal(a.media.live().length, 0);
  });

  it('anonymous outgoing call (P65): From anonymous, Privacy: id; B sees a private caller', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001', { 65: '1' });
    const b = rig.unit('127.0.0.2', '1002');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    const invite = rig.net.messages().find((m) => m.type === 'request' && m.method === 'INVITE') as SipRequest;
    assert.match(String(invite.from.uri.kind === 'sip' ? invite.from.uri.host : ''), /anonymous\.invalid/);
    assert.equal(invite.headers.get('Privacy'), 'id');
    assert.equal(b.phone.ringing?.callerId?.private, true);
  });

  it('P28092 = 0: a new call goes where a fresh lookup of the server points, not to the address registered with', async () => {
    const rig = sipRig();
    const registered = { protocol: 'udp' as const, address: '127.0.0.2', port: 5060 };
    const fresh = { protocol: 'udp' as const, address: '127.0.0.3', port: 5060 };
    let lookups = 0;
    // a server named by DNS (an IP literal in the Request-URI would be used as is)
    const a = rig.unit('127.0.0.1', '1001', {}, {}, { domain: () => 'pbx.test', serverTarget: () => registered, callTarget: () => (lookups++, Promise.resolve(fresh)) });
    const b = rig.unit('127.0.0.2', '1002');
    const c = rig.unit('127.0.0.3', '1003');
    a.phone.offHook();
    a.phone.dial('1003#');
    await new Promise((r) => setImmediate(r)); // the lookup's promise settles
    rig.clock.advance(5);
    assert.equal(lookups, 1);
    assert.equal(c.line.state, 'ringing');
    assert.equal(b.line.state, 'idle');
    a.phone.onHook();
    rig.clock.advance(5);
    // P28092 = 1 (no lookup offered): the registered address
    const d = rig.unit('127.0.0.4', '1004', {}, {}, { domain: () => 'pbx.test', serverTarget: () => registered });
    d.phone.offHook();
    d.phone.dial('1002#');
    rig.clock.advance(5);
    assert.equal(b.line.state, 'ringing');
  });

  it('someone else\'s caller ID (the FXO gateway, P839): in From, or in P-Asserted-Identity / P-Preferred-Identity', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '2000');
    rig.unit('127.0.0.2', '1002');
    const invites = (): SipRequest[] => rig.net.messages().filter((m): m is SipRequest => m.type === 'request' && m.method === 'INVITE');
    a.sip.invite({ target: 'sip:1002@127.0.0.2', offer: peerSdp(40000), anonymous: false, callerId: { via: 'from', number: '6265551234', name: 'PSTN CALLER' } });
    rig.clock.advance(5);
    const from = invites()[0]!.from;
    assert.equal(from.uri.kind === 'sip' ? from.uri.user : '', '6265551234');
    assert.equal(from.displayName, 'PSTN CALLER');
    assert.ok(from.params.get('tag'), 'the From tag is kept');
    a.sip.invite({ target: 'sip:1002@127.0.0.2', offer: peerSdp(40000), anonymous: false, callerId: { via: 'pai', number: '6265551234' } });
    rig.clock.advance(5);
    const pai = invites()[1]!;
    assert.match(pai.headers.get('P-Asserted-Identity') ?? '', /^<sip:6265551234@/);
    assert.equal(pai.from.uri.kind === 'sip' ? pai.from.uri.user : '', '2000', 'From stays the account');
    a.sip.invite({ target: 'sip:1002@127.0.0.2', offer: peerSdp(40000), anonymous: false, callerId: { via: 'ppi', number: '6265551234', name: 'X' } });
    rig.clock.advance(5);
    assert.match(invites()[2]!.headers.get('P-Preferred-Identity') ?? '', /^"X" <sip:6265551234@/);
  });

  it('garbage and unknown in-dialog requests are answered, not thrown', () => {
    const rig = sipRig();
    const b = rig.unit('127.0.0.2', '1002');
    b.transport.inject('INVITE sip:x@127.0.0.2 SIP/2.0\r\nbogus\r\n\r\n', { address: '127.0.0.1', port: 5060 });
    b.transport.inject('BYE sip:x@127.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: nope\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n', { address: '127.0.0.1', port: 5060 });
    rig.clock.advance(5);
    assert.equal(b.line.state, 'idle');
  });

  it('attended transfer between three units: REFER with Replaces, B calls C replacing A, A leaves', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    const c = rig.unit('127.0.0.3', '1003');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    b.phone.offHook();
    rig.clock.advance(5);
    a.phone.flash();
    rig.clock.advance(5);
    a.phone.dial(starIp('127.0.0.3'));
    rig.clock.advance(5);
    c.phone.offHook();
    rig.clock.advance(5);
    assert.equal(a.line.state, 'talking');
    a.phone.onHook();
    rig.clock.advance(50);
    const m = methods(rig);
    assert.ok(m.includes('REFER') && m.includes('202'), m.join(' '));
    const replacing = rig.net.messages().find((x) => x.type === 'request' && x.method === 'INVITE' && x.headers.has('Replaces')) as SipRequest | undefined;
    assert.ok(replacing, 'B sent INVITE with Replaces');
    assert.equal(b.line.state, 'talking');
    assert.equal(c.line.state, 'talking');
    assert.equal(b.line.active?.call.remote.uri, 'sip:127.0.0.3:5060');
    assert.equal(c.line.allLegs().length, 1, 'C replaced its call with A');
    assert.equal(a.line.allLegs().length, 0, 'A left both calls');
    assert.equal(a.line.state, 'idle');
    assert.deepEqual(b.media.sessions[b.media.sessions.length - 1]!.last?.remotePort, c.media.sessions[c.media.sessions.length - 1]!.localPort);
    assert.ok(methods(rig).filter((x) => x === 'NOTIFY').length >= 2, 'sipfrag 100 then 200');
  });

  it('a REFER while the transferee has a second call is declined (603 sipfrag) and A is rung back', () => {
    const rig = sipRig();
    const a = rig.unit('127.0.0.1', '1001');
    const b = rig.unit('127.0.0.2', '1002');
    const c = rig.unit('127.0.0.3', '1003');
    a.phone.offHook();
    a.phone.dial(starIp('127.0.0.2'));
    rig.clock.advance(5);
    b.phone.offHook();
    rig.clock.advance(5);
    b.phone.flash(); // B holds A and has dial tone: a REFER now cannot be followed
    rig.clock.advance(5);
    a.phone.flash();
    rig.clock.advance(5);
    a.phone.dial(starIp('127.0.0.3'));
    rig.clock.advance(5);
    c.phone.offHook();
    rig.clock.advance(5);
    a.phone.onHook();
    rig.clock.advance(50);
    assert.equal(a.line.state, 'recall');
  });
});
