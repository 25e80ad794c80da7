/*
 * FXS call features (user guide "CALL FEATURES" / "CALL OPERATIONS", reference §1.9, §6).
 * Plan: star codes (gated by P191) change the feature state or place calls (*02 forced codec,
 * *74 paging, *03 per call); call waiting with
 * its tone/CID knobs; blind and attended transfer by REFER with their ring-back on failure;
 * Bellcore 3-way conference with local mixing, P4830 and P4560; flash digit control P28080.
 */
import assert from 'node:assert/strict';
import { decodeDirectIp, matchStarCode, starCodeTable } from '../../cpe/voice/features/star-codes';
import { makeLine, type Harness } from './fxs-harness';
import { peerSdp, type FakeCall } from './fxs-fakes';

function talkTo(h: Harness, number: string, port = 40000): FakeCall {
  if (!h.line.offHook) h.phone.offHook();
  h.phone.dial(`${number}#`);
  const call = h.sip.last;
  call.ev.answered(peerSdp(port));
  return call;
}

describe('star codes (pure)', () => {
  const table = starCodeTable();
  const cases: [string, string, string?, string?][] = [
    ['*', 'prefix'],
    ['*7', 'prefix'],
    ['*69', 'complete', 'callReturn'],
    ['*78', 'complete', 'dndOn'],
    ['*72', 'collecting', 'forwardAllOn', ''],
    ['*721008', 'collecting', 'forwardAllOn', '1008'],
    ['*47192*168*0*160', 'collecting', 'directIp', '192*168*0*160'],
    ['*98', 'none'],
    ['*691', 'none'],
    ['1234', 'none'],
  ];
  for (const [digits, status, kind, arg] of cases) {
    it(`${digits} → ${status}${kind ? ` ${kind}` : ''}`, () => {
      const m = matchStarCode(digits, table);
      assert.equal(m.status, status);
      if (kind) assert.equal('kind' in m ? m.kind : undefined, kind);
      if (arg !== undefined) assert.equal('arg' in m ? m.arg : undefined, arg);
    });
  }
  it('an empty table (P191 off) matches nothing', () => {
    assert.deepEqual(matchStarCode('*69', new Map()), { status: 'none' });
  });
  it('configured codes replace the defaults (P24011 = 77)', () => {
    const t = starCodeTable({ callReturn: '77' });
    assert.equal(matchStarCode('*77', t).status, 'complete');
    assert.equal(matchStarCode('*69', t).status, 'none');
  });
  const ips: [string, string | undefined][] = [
    ['192*168*0*160', '192.168.0.160:5060'],
    ['192*168*1*20*5062', '192.168.1.20:5062'],
    ['192168001020', '192.168.1.20:5060'],
    ['192168001020*45062', '192.168.1.20:5062'],
    ['192*168*1', undefined],
    ['300*1*1*1', undefined],
    ['1*1*1*1*70000', undefined],
    ['19216800102', undefined],
  ];
  for (const [arg, expected] of ips) {
    it(`*47 ${arg} → ${expected ?? 'invalid'}`, () => {
      const t = decodeDirectIp(arg);
      assert.equal(t ? `${t.host}:${t.port}` : undefined, expected);
    });
  }
});

describe('fxs features: star codes on the line', () => {
  it('*30/*31 block caller ID for all calls; *67/*82 per call; P65 default', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('*30');
    assert.equal(h.phone.tone, h.tones.confirmation, 'confirmation tone, then dial tone');
    h.clock.advance(600);
    assert.equal(h.phone.tone, h.tones.dial);
    h.phone.dial('1008#');
    assert.equal(h.sip.last.request!.anonymous, true);
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('*821008#');
    assert.equal(h.sip.last.request!.anonymous, false);
    assert.equal(h.sip.last.request!.target, '1008');
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('*31');
    h.phone.onHook();
    const p65 = makeLine({ 65: '1' });
    p65.phone.offHook();
    p65.phone.dial('1008#');
    assert.equal(p65.sip.last.request!.anonymous, true);
    p65.phone.onHook();
    p65.phone.offHook();
    p65.phone.dial('*821008#');
    assert.equal(p65.sip.last.request!.anonymous, false);
    const h2 = makeLine();
    h2.phone.offHook();
    h2.phone.dial('*671008#');
    assert.equal(h2.sip.last.request!.anonymous, true);
  });

  it('P191 off: star codes are dialed as numbers', () => {
    const h = makeLine({ 191: '0' });
    h.phone.offHook();
    h.phone.dial('*78#');
    assert.equal(h.sip.last.request!.target, '*78');
    assert.equal(h.features.get().dnd, false);
  });

  it('*78 DND rejects incoming calls (486); *79 lifts it', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('*78');
    h.phone.onHook();
    assert.equal(h.sip.incoming({ number: '2000' }).rejected?.status, 486);
    assert.equal(h.line.status().dnd, true);
    h.phone.offHook();
    h.phone.dial('*79');
    h.phone.onHook();
    assert.equal(h.sip.incoming({ number: '2000' }).rejected, undefined);
  });

  it('*72 number # forwards every call (302); *73 cancels', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('*723000#');
    assert.equal(h.features.get().forwardAll, '3000');
    h.phone.onHook();
    assert.equal(h.sip.incoming({ number: '2000' }).redirected, '3000');
    h.phone.offHook();
    h.phone.dial('*73');
    h.phone.onHook();
    assert.equal(h.sip.incoming({ number: '2000' }).redirected, undefined);
  });

  it('*72 ends on the no-key-entry timeout too', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('*723000');
    assert.equal(h.features.get().forwardAll, undefined);
    h.clock.advance(4000);
    assert.equal(h.features.get().forwardAll, '3000');
  });

  it('*90 busy forward: a second call while talking goes to the number', () => {
    const h = makeLine({ 91: '1' });
    h.phone.offHook();
    h.phone.dial('*903000#');
    h.clock.advance(600);
    talkTo(h, '1008');
    assert.equal(h.sip.incoming({ number: '2000' }).redirected, '3000');
  });

  it('*92 delayed forward after P139 seconds of ringing; *93 cancels', () => {
    const h = makeLine({ 139: '10' });
    h.phone.offHook();
    h.phone.dial('*923000#');
    h.phone.onHook();
    const call = h.sip.incoming({ number: '2000' });
    h.clock.advance(9999);
    assert.equal(call.redirected, undefined);
    h.clock.advance(1);
    assert.equal(call.redirected, '3000');
    assert.equal(h.line.state, 'idle');
    assert.equal(h.phone.ringing, undefined);
  });

  it('*69 calls the last caller back; with none: reorder', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('*69');
    assert.equal(h.phone.tone, h.tones.reorder);
    h.phone.onHook();
    h.sip.incoming({ number: '2000' }).ev.ended('cancel');
    h.phone.offHook();
    h.phone.dial('*69');
    assert.equal(h.sip.last.request!.target, '2000');
  });

  it('L: routes and the access code P195 put the phone on the PSTN line; on-hook releases it; the far end hanging up gives reorder', () => {
    const h = makeLine({ 4200: '{ L: 911 | x+ }', 837: '1' });
    h.phone.offHook();
    h.phone.dial('911#');
    assert.equal(h.line.state, 'pstn');
    assert.deepEqual(h.pstn.calls.map((c) => c.number), ['911']);
    assert.equal(h.sip.invites.length, 0, 'no SIP call for an L: route');
    assert.deepEqual(h.phone.connected, [h.pstn.calls[0]!.media], 'the phone talks on the line');
    assert.equal(h.line.status().callState, 'InCall');
    h.phone.flash();
    assert.equal(h.pstn.calls[0]!.flashes, 1);
    h.phone.onHook();
    assert.equal(h.pstn.calls[0]!.hungUp, 1);
    assert.equal(h.line.state, 'idle');
    // the access code alone: the phone dials on the line itself
    h.phone.offHook();
    h.phone.dial('*00');
    assert.equal(h.line.state, 'pstn');
    assert.equal(h.pstn.calls[1]!.number, '');
    h.pstn.farEndHangsUp();
    assert.equal(h.line.state, 'failed');
    assert.equal(h.phone.tone, h.tones.reorder);
    h.phone.onHook();
    assert.equal(h.pstn.calls[1]!.hungUp, 0, 'already released by the far end');
    // the line in use: reorder
    h.pstn.busy = true;
    h.phone.offHook();
    h.phone.dial('911#');
    assert.equal(h.line.state, 'failed');
    assert.equal(h.phone.tone, h.tones.reorder);
    h.phone.onHook();
    // other numbers still go to SIP
    h.pstn.busy = false;
    h.phone.offHook();
    h.phone.dial('1008#');
    assert.equal(h.sip.last.request?.target, '1008');
  });

  it('a PSTN call rings the idle phone with its caller ID (P842); lifting it answers the line; a busy phone is not rung', () => {
    const h = makeLine();
    h.pstn.ringing = true;
    assert.equal(h.line.alertPstn({ number: '6265551234', name: 'PSTN CALLER', time: 0 }), true);
    assert.equal(h.line.state, 'pstnRinging');
    assert.equal(h.phone.ringing?.callerId?.number, '6265551234');
    assert.equal(h.line.status().callState, 'Ringing');
    h.phone.offHook();
    assert.equal(h.line.state, 'pstn');
    assert.equal(h.phone.ringing, undefined, 'ringing stopped');
    assert.deepEqual(h.phone.connected, [h.pstn.calls[0]!.media]);
    h.phone.onHook();
    assert.equal(h.pstn.calls[0]!.hungUp, 1);
    // the caller gives up before the phone is lifted
    assert.ok(h.line.alertPstn());
    h.line.endPstnAlert();
    assert.equal(h.line.state, 'idle');
    assert.equal(h.phone.ringing, undefined);
    // the line was taken meanwhile (the gateway answered it): lifting the phone gives dial tone
    assert.ok(h.line.alertPstn());
    h.phone.offHook();
    assert.equal(h.line.state, 'dialTone');
    // off-hook: not rung
    assert.equal(h.line.alertPstn(), false);
    h.phone.onHook();
  });

  it('*47 direct IP call (guide and IVR keyings); a bad address gets reorder', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('*47192*168*0*160#');
    assert.equal(h.sip.last.request!.target, 'sip:192.168.0.160:5060');
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('*47127000000001*45062');
    h.clock.advance(4000);
    assert.equal(h.sip.last.request!.target, 'sip:127.0.0.1:5062');
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('*47999#');
    assert.equal(h.phone.tone, h.tones.reorder);
  });

  it('*02 forces a codec for one call: *027111 offers PCMA alone; an unimplemented codec (*02729) gets reorder', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('*0271111008#');
    const offer = h.sip.last.request!.offer;
    assert.equal(h.sip.last.request!.target, '1008');
    assert.match(offer, /^m=audio \d+ RTP\/AVP 8 101\r?$/m, offer);
    assert.doesNotMatch(offer, /PCMU/);
    h.phone.onHook();
    // the next call offers the configured list again
    h.phone.offHook();
    h.phone.dial('1008#');
    assert.match(h.sip.last.request!.offer, /PCMU/);
    h.phone.onHook();
    const calls = h.sip.invites.length;
    h.phone.offHook();
    h.phone.dial('*027291008#');
    assert.equal(h.phone.tone, h.tones.reorder);
    assert.equal(h.sip.invites.length, calls, 'no INVITE for a codec we cannot run');
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('*029#');
    assert.equal(h.phone.tone, h.tones.reorder, 'no such suffix');
  });

  it('SRTP by P183, *16/*17 for all later calls, *18/*19 for one call (SDES keys in the offer)', () => {
    const offerOf = (h: ReturnType<typeof makeLine>, digits: string): string => {
      h.phone.offHook();
      h.phone.dial(digits);
      const offer = h.sip.last.request!.offer;
      h.phone.onHook();
      return offer;
    };
    const plain = /^m=audio \d+ RTP\/AVP [\d ]+\r?$(?![\s\S]*a=crypto)/m;
    const optional = /^m=audio \d+ RTP\/AVP [\d ]+\r?$[\s\S]*^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:[A-Za-z0-9+/]{40}\|2\^31\r?$/m;
    const forced = /^m=audio \d+ RTP\/SAVP [\d ]+\r?$[\s\S]*^a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:/m;
    const h = makeLine();
    assert.match(offerOf(h, '1008#'), plain, 'P183 = 0 by default');
    assert.match(offerOf(h, '*181008#'), optional, '*18: SRTP for this call');
    assert.equal(h.sip.last.request!.target, '1008');
    assert.match(offerOf(h, '1008#'), plain, 'only that call');
    const invites = h.sip.invites.length;
    h.phone.offHook();
    h.phone.dial('*16');
    assert.equal(h.phone.tone, h.tones.confirmation);
    h.phone.onHook();
    assert.equal(h.sip.invites.length, invites, 'a feature code places no call');
    assert.equal(h.features.get().srtp, true);
    const first = offerOf(h, '1008#');
    assert.match(first, optional, '*16: every later call');
    assert.notEqual(/inline:(\S{40})/.exec(offerOf(h, '1008#'))![1], /inline:(\S{40})/.exec(first)![1], 'fresh keys per call');
    assert.match(offerOf(h, '*191008#'), plain, '*19: not for this call');
    h.phone.offHook();
    h.phone.dial('*17');
    h.phone.onHook();
    assert.equal(h.features.get().srtp, false);
    assert.match(offerOf(h, '1008#'), plain);
    const f = makeLine({ 183: '2', 2363: '0' });
    const o = offerOf(f, '1008#');
    assert.match(o, forced, 'P183 = 2: RTP/SAVP');
    assert.doesNotMatch(o, /\|2\^31/, 'P2363 = 0: no lifetime');
    assert.match(offerOf(f, '*181008#'), forced, '*18 keeps "forced"');
  });

  it('G.722 (P57 = 9) is offered first once the media layer implements it; *02722 offers it alone', () => {
    const h = makeLine({ 57: '9' });
    h.media.codecs = ['PCMU', 'PCMA', 'G722'];
    h.phone.offHook();
    h.phone.dial('1008#');
    assert.match(h.sip.last.request!.offer, /^m=audio \d+ RTP\/AVP 9 8 101\r?$/m);
    assert.match(h.sip.last.request!.offer, /^a=rtpmap:9 G722\/8000\r?$/m);
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('*027221008#');
    assert.match(h.sip.last.request!.offer, /^m=audio \d+ RTP\/AVP 9 101\r?$/m);
    h.phone.onHook();
  });

  it('*74 pages a number (the INVITE asks for auto-answer); *03 just dials (no echo canceller to disable)', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('*741008#');
    assert.equal(h.sip.last.request!.target, '1008');
    assert.equal(h.sip.last.request!.paging, true);
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('*031009#');
    assert.equal(h.sip.last.request!.target, '1009');
    assert.equal(h.sip.last.request!.paging, undefined);
  });

  it('*50 disables call waiting (busy), *51 enables it; *70 per call', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('*50');
    h.clock.advance(600);
    talkTo(h, '1008');
    assert.equal(h.sip.incoming({ number: '2000' }).rejected?.status, 486);
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('*51');
    h.clock.advance(600);
    h.phone.dial('*701009#');
    h.sip.last.ev.answered(peerSdp(40000));
    assert.equal(h.sip.last.request!.target, '1009');
    assert.equal(h.sip.incoming({ number: '2000' }).rejected?.status, 486, '*70: no call waiting on this call');
    h.phone.onHook();
    talkTo(h, '1010');
    assert.equal(h.sip.incoming({ number: '2000' }).rejected, undefined);
  });
});

describe('fxs features: call waiting, transfer, conference', () => {
  it('call waiting: tone P4005 and caller ID; flash answers and holds; flash swaps', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    const c = h.sip.incoming({ number: '2000', displayName: 'Carol' });
    assert.equal(c.ringingSent, 1);
    assert.equal(h.phone.cw?.tone, h.tones.callWaiting);
    assert.equal(h.phone.cw?.callerId?.number, '2000');
    h.phone.flash();
    assert.equal(h.phone.cw, undefined);
    assert.match(b.lastReoffer!, /a=sendonly/);
    assert.ok(c.accepted);
    c.ev.answered(undefined);
    assert.equal(h.line.state, 'talking');
    assert.equal(h.phone.connected.length, 1);
    assert.equal(h.phone.connected[0]!.localPort, 5006, 'the second call uses the next RTP port');
    h.phone.flash();
    assert.match(c.lastReoffer!, /a=sendonly/);
    assert.match(b.lastReoffer!, /a=sendrecv/);
    assert.equal(h.phone.connected[0]!.localPort, 5004);
  });

  it('call waiting with P186 (no tone) and P714 (no caller ID)', () => {
    const h = makeLine({ 186: '1', 714: '1' });
    talkTo(h, '1008');
    h.sip.incoming({ number: '2000' });
    assert.deepEqual(h.phone.cw, { tone: undefined });
  });

  it('hanging up with a waiting call rings for it', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    const c = h.sip.incoming({ number: '2000' });
    h.phone.onHook();
    assert.equal(b.hungUp, 1);
    assert.equal(h.line.state, 'ringing');
    h.phone.offHook();
    assert.ok(c.accepted);
  });

  it('blind transfer: flash, *87 number → REFER to the held party, dial tone; NOTIFY 200 ends it', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    h.phone.flash();
    h.phone.dial('*871009#');
    assert.deepEqual(b.refers, [{ target: '1009' }]);
    assert.equal(h.line.state, 'dialTone');
    assert.equal(h.phone.tone, h.tones.dial);
    h.phone.onHook();
    assert.equal(h.line.state, 'idle', 'no ring-back while the transfer is pending');
    b.ev.transferProgress(100, false);
    b.ev.transferProgress(200, true);
    assert.equal(b.hungUp, 1);
    assert.equal(h.media.live().length, 0);
  });

  it('blind transfer failing after hang-up rings back; off-hook resumes B', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    h.phone.flash();
    h.phone.dial('*871009#');
    h.phone.onHook();
    b.ev.transferProgress(503, true);
    assert.equal(h.line.state, 'recall');
    assert.ok(h.phone.ringing);
    h.phone.offHook();
    assert.equal(h.line.state, 'talking');
    assert.match(b.lastReoffer!, /a=sendrecv/);
  });

  it('attended transfer: flash, call C, C answers, hang up → REFER with Replaces; success ends both', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    h.phone.flash();
    const c = talkTo(h, '1009', 41000);
    assert.equal(h.line.state, 'talking');
    h.phone.onHook();
    assert.equal(b.refers.length, 1);
    assert.equal(b.refers[0]!.replaces, c);
    assert.equal(b.refers[0]!.target, c.remote.uri);
    assert.equal(h.line.state, 'idle');
    b.ev.transferProgress(200, true);
    assert.equal(b.hungUp, 1);
    assert.equal(c.hungUp, 1);
    assert.equal(h.media.live().length, 0);
  });

  it('attended transfer failing rings A back to B', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    h.phone.flash();
    const c = talkTo(h, '1009', 41000);
    h.phone.onHook();
    b.ev.transferProgress(481, true);
    assert.equal(c.hungUp, 1);
    assert.equal(h.line.state, 'recall');
    h.phone.offHook();
    assert.equal(h.line.state, 'talking');
  });

  it('C does not answer: flash cancels C and resumes B; hang-up while C rings rings A back', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    h.phone.flash();
    h.phone.dial('1009#');
    const c = h.sip.last;
    c.ev.progress(180, undefined);
    h.phone.flash();
    assert.equal(c.hungUp, 1);
    assert.equal(h.line.state, 'talking');
    assert.match(b.lastReoffer!, /a=sendrecv/);
    h.phone.flash();
    h.phone.dial('1009#');
    h.phone.onHook();
    assert.equal(h.line.state, 'recall');
    h.clock.advance(60000);
    assert.equal(h.line.state, 'idle', 'P185 ends the recall');
    assert.equal(b.hungUp, 1);
  });

  it('3-way conference: flash brings B and C together (mixed), flash drops C', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    h.phone.flash();
    const c = talkTo(h, '1009', 41000);
    h.phone.flash();
    assert.equal(h.line.state, 'conference');
    assert.equal(h.phone.connected.length, 2);
    assert.match(b.lastReoffer!, /a=sendrecv/);
    h.phone.dial('7');
    assert.deepEqual(h.media.sessions.map((s) => s.digits.join('')), ['7', '7']);
    h.phone.flash();
    assert.equal(c.hungUp, 1);
    assert.equal(h.line.state, 'talking');
    assert.equal(h.phone.connected.length, 1);
  });

  it('*23 + number from the flash dial tone: C joins B in the 3-way conference as soon as it answers', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    h.phone.flash();
    assert.equal(h.line.state, 'dialTone');
    h.phone.dial('*231009#');
    const c = h.sip.last;
    assert.equal(c.request?.target, '1009');
    assert.equal(h.line.state, 'calling');
    c.ev.answered(peerSdp(41000));
    assert.equal(h.line.state, 'conference');
    assert.equal(h.phone.connected.length, 2);
    assert.match(b.lastReoffer!, /a=sendrecv/, 'B resumed');
    // without a held call, *23 is an ordinary call
    const g = makeLine();
    g.phone.offHook();
    g.phone.dial('*231009#');
    g.sip.last.ev.answered(peerSdp(41000));
    assert.equal(g.line.state, 'talking');
    // P4830 disables the conference: C stays a consult call, B stays held
    const d = makeLine({ 4830: '1' });
    talkTo(d, '1008');
    d.phone.flash();
    d.phone.dial('*231009#');
    d.sip.last.ev.answered(peerSdp(41000));
    assert.equal(d.line.state, 'talking');
    assert.equal(d.phone.connected.length, 1);
  });

  it('conference hang-up ends both, or transfers B to C with P4560', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    h.phone.flash();
    const c = talkTo(h, '1009', 41000);
    h.phone.flash();
    h.phone.onHook();
    assert.equal(b.hungUp + c.hungUp, 2);
    const t = makeLine({ 4560: '1' });
    const b2 = talkTo(t, '1008');
    t.phone.flash();
    const c2 = talkTo(t, '1009', 41000);
    t.phone.flash();
    t.phone.onHook();
    assert.equal(b2.refers[0]?.replaces, c2);
  });

  it('a party leaving the conference leaves A talking with the other', () => {
    const h = makeLine();
    talkTo(h, '1008');
    h.phone.flash();
    const c = talkTo(h, '1009', 41000);
    h.phone.flash();
    c.ev.ended('bye');
    assert.equal(h.line.state, 'talking');
    assert.equal(h.phone.connected.length, 1);
  });

  it('P4830 disables the conference: flash swaps instead', () => {
    const h = makeLine({ 4830: '1' });
    const b = talkTo(h, '1008');
    h.phone.flash();
    const c = talkTo(h, '1009', 41000);
    h.phone.flash();
    assert.equal(h.line.state, 'talking');
    assert.match(c.lastReoffer!, /a=sendonly/);
    assert.match(b.lastReoffer!, /a=sendrecv/);
  });

  const fdc: [string, string, (b: FakeCall, c: FakeCall) => void][] = [
    ['1', 'hangs up C and resumes B', (b, c) => (assert.equal(c.hungUp, 1), assert.match(b.lastReoffer!, /sendrecv/))],
    ['2', 'holds C and resumes B', (b, c) => (assert.match(c.lastReoffer!, /sendonly/), assert.match(b.lastReoffer!, /sendrecv/))],
    ['3', 'makes the conference', (b) => assert.match(b.lastReoffer!, /sendrecv/)],
    ['4', 'transfers B to C', (b, c) => assert.equal(b.refers[0]?.replaces, c)],
  ];
  for (const [digit, what, check] of fdc) {
    it(`flash digit control P28080: flash + ${digit} ${what}`, () => {
      const h = makeLine({ 28080: '1' });
      const b = talkTo(h, '1008');
      h.phone.flash();
      const c = talkTo(h, '1009', 41000);
      h.phone.flash();
      assert.equal(h.line.state, 'flashDigit');
      h.phone.dial(digit);
      check(b, c);
      if (digit === '3') assert.equal(h.line.state, 'conference');
    });
  }

  it('flash digit control times out back to the call after P85', () => {
    const h = makeLine({ 28080: '1', 85: '2' });
    talkTo(h, '1008');
    h.phone.flash();
    talkTo(h, '1009', 41000);
    h.phone.flash();
    h.clock.advance(2000);
    assert.equal(h.line.state, 'talking');
  });

  it('the held party hanging up while A dials leaves plain dial tone; on-hook goes idle', () => {
    const h = makeLine();
    const b = talkTo(h, '1008');
    h.phone.flash();
    b.ev.ended('bye');
    assert.equal(h.line.other, undefined);
    h.phone.onHook();
    assert.equal(h.line.state, 'idle');
  });
});
