/*
 * FXS line state machine: basic outgoing and incoming calls, with fakes and a FakeClock.
 * Plan: off-hook → dial tone (stutter with MWI) → digits against P4200 with P85 / P72 / P66 →
 * INVITE with an offer → ringback / early media → talk → hang up; busy, reorder, redirect;
 * incoming ring with cadence + caller ID, answer, cancel, P185, busy 486, P129 433, 488;
 * timers asserted to the millisecond; no error leaves the phone anywhere but dial tone or idle.
 */
import assert from 'node:assert/strict';
import { decodeSdp } from '../../cpe/voice/sdp/sdp';
import { directionOf } from '../../cpe/voice/sdp/sdp-media';
import { makeLine } from './fxs-harness';
import { peerSdp } from './fxs-fakes';

describe('fxs line: outgoing calls', () => {
  it('off-hook plays the dial tone; on-hook returns to idle with no timer left', () => {
    const h = makeLine();
    h.phone.offHook();
    assert.equal(h.line.state, 'dialTone');
    assert.equal(h.phone.tone, h.tones.dial);
    h.phone.onHook();
    assert.equal(h.line.state, 'idle');
    assert.equal(h.phone.tone, undefined);
    assert.equal(h.clock.timerCount, 0);
  });

  it('plays the stutter tone for 2 s when a message waits, then the steady dial tone', () => {
    const h = makeLine();
    h.line.setMessageWaiting(true);
    assert.equal(h.phone.mwi, true);
    h.phone.offHook();
    assert.equal(h.phone.tone, 'f1=350@-17,f2=440@-17,c=100/100;');
    h.clock.advance(1999);
    assert.notEqual(h.phone.tone, h.tones.dial);
    h.clock.advance(1);
    assert.equal(h.phone.tone, h.tones.dial);
  });

  it('dials after the no-key-entry timeout P85 exactly, with the SDP offer from P57…/P37/P79', () => {
    const h = makeLine({ 85: '3' });
    h.phone.offHook();
    h.phone.dial('1008');
    assert.equal(h.phone.tone, undefined, 'the first digit stops the dial tone');
    h.clock.advance(2999);
    assert.equal(h.sip.invites.length, 0);
    h.clock.advance(1);
    assert.equal(h.sip.invites.length, 1);
    const req = h.sip.last.request!;
    assert.equal(req.target, '1008');
    assert.equal(req.anonymous, false);
    const offer = decodeSdp(req.offer);
    assert.deepEqual(offer.media[0]!.formats, ['0', '8', '101'], 'PCMU, PCMA (what media implements, in P57.. order), telephone-event P79');
    assert.equal(offer.media[0]!.port, 5004);
    assert.match(req.offer, /a=ptime:20/);
    assert.equal(h.line.state, 'calling');
    assert.equal(h.line.status().callState, 'Calling');
  });

  it('P101 (NAT address for SIP/SDP) is the address of the SDP offer', () => {
    const h = makeLine({ 101: '203.0.113.7' });
    h.phone.offHook();
    h.phone.dial('1008#');
    const offer = h.sip.last.request!.offer;
    assert.match(offer, /^c=IN IP4 203\.0\.113\.7$/m);
    assert.match(offer, /^o=\S+ \d+ \d+ IN IP4 203\.0\.113\.7$/m);
    assert.equal(decodeSdp(offer).media[0]!.port, 5004);
  });

  it('# is the dial key (P72) and the prefix P66 is put in front', () => {
    const h = makeLine({ 66: '9' });
    h.phone.offHook();
    h.phone.dial('1008#');
    assert.equal(h.sip.last.request!.target, '91008');
  });

  it('# as the first key redials the last number', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    h.sip.last.ev.failed(486, 'Busy Here');
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('#');
    assert.equal(h.sip.invites.length, 2);
    assert.equal(h.sip.last.request!.target, '1008');
  });

  it('a complete dial-plan rule dials at once; a number no rule matches gets reorder', () => {
    const h = makeLine({ 4200: '{ 911 | 1xxx }' });
    h.phone.offHook();
    h.phone.dial('911');
    assert.equal(h.sip.invites.length, 1);
    h.phone.onHook();
    h.phone.offHook();
    h.phone.dial('2');
    assert.equal(h.line.state, 'failed');
    assert.equal(h.phone.tone, h.tones.reorder);
  });

  it('ringback on 180, talk on 200 (media started, phone connected), BYE on hang-up', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    const call = h.sip.last;
    call.ev.progress(180, undefined);
    assert.equal(h.phone.tone, h.tones.ringback);
    call.ev.answered(peerSdp(40000));
    assert.equal(h.line.state, 'talking');
    assert.equal(h.phone.tone, undefined);
    const session = h.media.sessions[0]!;
    assert.equal(session.last?.remotePort, 40000);
    assert.equal(session.last?.sendCodec.encoding, 'PCMU');
    assert.equal(session.last?.telephoneEventPt, 101);
    assert.deepEqual(h.phone.connected, [session]);
    assert.equal(h.line.status().callState, 'InCall');
    h.phone.dial('5');
    assert.deepEqual(session.digits, ['5'], 'digits during a call go to media (RFC 4733)');
    h.phone.onHook();
    assert.equal(call.hungUp, 1);
    assert.equal(session.stopped, true);
    assert.equal(h.line.state, 'idle');
    assert.equal(h.clock.timerCount, 0);
  });

  it('early media on 183 with SDP: no local ringback, the far end is heard', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    h.sip.last.ev.progress(183, peerSdp(41000));
    assert.equal(h.phone.tone, undefined);
    assert.equal(h.phone.connected.length, 1);
    h.sip.last.ev.progress(180, undefined);
    assert.equal(h.phone.tone, undefined, '180 after early media keeps the far end audio');
    h.sip.last.ev.answered(peerSdp(41000));
    assert.equal(h.line.state, 'talking');
  });

  const failures: [number, 'busy' | 'reorder'][] = [[486, 'busy'], [600, 'busy'], [603, 'busy'], [404, 'reorder'], [408, 'reorder'], [480, 'reorder'], [503, 'reorder'], [488, 'reorder']];
  for (const [status, tone] of failures) {
    it(`${status} plays the ${tone} tone; on-hook → idle, media stopped`, () => {
      const h = makeLine();
      h.phone.offHook();
      h.phone.dial('1008#');
      h.sip.last.ev.failed(status, 'x');
      assert.equal(h.line.state, 'failed');
      assert.equal(h.phone.tone, tone === 'busy' ? h.tones.busy : h.tones.reorder);
      assert.equal(h.media.live().length, 0);
      h.phone.onHook();
      assert.equal(h.line.state, 'idle');
    });
  }

  it('follows a 302 to its Contact', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    h.sip.last.ev.failed(302, 'Moved', ['<sip:2000@10.0.0.9>']);
    assert.equal(h.sip.invites.length, 2);
    assert.equal(h.sip.last.request!.target, 'sip:2000@10.0.0.9');
    assert.equal(h.line.state, 'calling');
  });

  it('an answer with no usable codec hangs up with reorder', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    h.sip.last.ev.answered(peerSdp(40000, { formats: '18' }));
    assert.equal(h.sip.last.hungUp, 1);
    assert.equal(h.line.state, 'failed');
    assert.equal(h.phone.tone, h.tones.reorder);
  });

  it('the far end hanging up mid-call gives dial tone and stops media', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    h.sip.last.ev.answered(peerSdp(40000));
    h.sip.last.ev.ended('bye');
    assert.equal(h.line.state, 'dialTone');
    assert.equal(h.phone.tone, h.tones.dial);
    assert.equal(h.media.live().length, 0);
    assert.deepEqual(h.phone.connected, []);
  });

  it('cannot call when unregistered and P109 forbids it: reorder', () => {
    const h = makeLine();
    h.sip.registered = false;
    h.phone.offHook();
    h.phone.dial('1008#');
    assert.equal(h.sip.invites.length, 0);
    assert.equal(h.phone.tone, h.tones.reorder);
  });

  it('an INVITE that cannot be sent (no route) gives reorder and frees the RTP port', () => {
    const h = makeLine();
    h.sip.failNext = true;
    h.phone.offHook();
    h.phone.dial('1008#');
    assert.equal(h.line.state, 'failed');
    assert.equal(h.phone.tone, h.tones.reorder);
    assert.equal(h.media.live().length, 0);
    assert.ok(!h.log.records.some((r) => r.level === 'error'), 'handled, not a line reset');
  });

  it('hanging up while the far end rings cancels the call', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    h.sip.last.ev.progress(180, undefined);
    h.phone.onHook();
    assert.equal(h.sip.last.hungUp, 1);
    assert.equal(h.line.state, 'idle');
    h.sip.last.ev.answered(peerSdp(40000));
    assert.equal(h.line.state, 'idle', 'a 200 racing the CANCEL changes nothing on the phone');
  });

  it('late events for a finished call are ignored', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    const call = h.sip.last;
    call.ev.failed(486, 'Busy');
    call.ev.progress(180, undefined);
    call.ev.ended('bye');
    call.ev.transferProgress(200, true);
    assert.equal(h.line.state, 'failed');
  });

  it('off-hook auto-dial P71 after P4045 s', () => {
    const h = makeLine({ 71: '1234', 4045: '2' });
    h.phone.offHook();
    h.clock.advance(2000);
    assert.equal(h.sip.last.request!.target, '1234');
  });
});

describe('fxs line: incoming calls', () => {
  it('rings with the P4040 cadence and caller ID, answers on off-hook with an SDP answer', () => {
    const h = makeLine({ 4040: 'c=1000/3000;' });
    const call = h.sip.incoming({ number: '2000', displayName: 'Bob' });
    assert.equal(call.ringingSent, 1);
    assert.equal(h.line.state, 'ringing');
    assert.equal(h.phone.ringing?.cadence, 'c=1000/3000;');
    assert.equal(h.phone.ringing?.callerId?.number, '2000');
    assert.equal(h.phone.ringing?.callerId?.name, 'Bob');
    assert.equal(h.line.status().callState, 'Ringing');
    h.phone.offHook();
    assert.equal(h.phone.ringing, undefined);
    assert.ok(call.accepted);
    const ans = decodeSdp(call.accepted!);
    assert.deepEqual(ans.media[0]!.formats, ['0', '101']);
    assert.equal(directionOf(ans, ans.media[0]!), 'sendrecv');
    call.ev.answered(undefined);
    assert.equal(h.line.state, 'talking');
    assert.equal(h.media.sessions[0]!.last?.remotePort, 40000);
    call.ev.ended('bye');
    assert.equal(h.line.state, 'dialTone');
  });

  it('the caller cancelling stops the ringing', () => {
    const h = makeLine();
    const call = h.sip.incoming({ number: '2000' });
    call.ev.ended('cancel');
    assert.equal(h.line.state, 'idle');
    assert.equal(h.phone.ringing, undefined);
    assert.equal(h.media.live().length, 0);
    assert.equal(h.clock.timerCount, 0);
  });

  it('ring timeout P185: 480 exactly after P185 seconds', () => {
    const h = makeLine({ 185: '5' });
    const call = h.sip.incoming({ number: '2000' });
    h.clock.advance(4999);
    assert.equal(call.rejected, undefined);
    h.clock.advance(1);
    assert.equal((call.rejected as { status: number } | undefined)?.status, 480);
    assert.equal(h.line.state, 'idle');
  });

  it('busy when off-hook and dialing: 486', () => {
    const h = makeLine();
    h.phone.offHook();
    const call = h.sip.incoming({ number: '2000' });
    assert.equal(call.rejected?.status, 486);
    assert.equal(h.line.state, 'dialTone');
  });

  it('busy during a call when call waiting is off (P91): 486', () => {
    const h = makeLine({ 91: '1' });
    h.phone.offHook();
    h.phone.dial('1008#');
    h.sip.last.ev.answered(peerSdp(40000));
    const call = h.sip.incoming({ number: '2000' });
    assert.equal(call.rejected?.status, 486);
    assert.equal(h.phone.cw, undefined);
  });

  it('anonymous call rejection P129: 433', () => {
    const h = makeLine({ 129: '1' });
    const call = h.sip.incoming({ number: 'anonymous', anonymous: true });
    assert.equal(call.rejected?.status, 433);
    assert.equal(h.line.state, 'idle');
    const named = h.sip.incoming({ number: '2000' });
    assert.equal(named.rejected, undefined);
  });

  it('an anonymous caller rings as private when P129 is off', () => {
    const h = makeLine();
    h.sip.incoming({ number: 'anonymous', anonymous: true });
    assert.equal(h.phone.ringing?.callerId?.private, true);
  });

  it('an offer with no common codec is refused 488 without ringing', () => {
    const h = makeLine();
    const call = h.sip.incoming({ number: '2000' }, peerSdp(40000, { formats: '18' }));
    assert.equal(call.rejected?.status, 488);
    assert.equal(h.phone.ringing, undefined);
  });

  it('a delayed offer (INVITE without SDP): we offer in the 200 and apply the answer from the ACK', () => {
    const h = makeLine();
    const call = h.sip.incoming({ number: '2000' }, null);
    h.phone.offHook();
    assert.match(call.accepted!, /m=audio 5004 RTP\/AVP 0 8 101/);
    call.ev.answered(peerSdp(42000));
    assert.equal(h.media.sessions[0]!.last?.remotePort, 42000);
  });

  it('answers a far-end hold (re-INVITE sendonly) with recvonly and a bad re-offer with 400', () => {
    const h = makeLine();
    const call = h.sip.incoming({ number: '2000' });
    h.phone.offHook();
    call.ev.answered(undefined);
    const r = call.ev.offer(peerSdp(40000, { direction: 'sendonly', version: 2 }));
    assert.ok('sdp' in r);
    assert.match(r.sdp, /a=recvonly/);
    assert.equal(h.media.sessions[0]!.last?.direction, 'recvonly');
    const bad = call.ev.offer('garbage');
    assert.deepEqual(bad, { status: 400 });
    assert.equal(h.line.state, 'talking');
  });

  it('hold and resume by flash: re-INVITE sendonly, dial tone, flash back: sendrecv', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    const call = h.sip.last;
    call.ev.answered(peerSdp(40000));
    h.phone.flash();
    assert.equal(h.line.state, 'dialTone');
    assert.match(call.lastReoffer!, /a=sendonly/);
    assert.equal(h.line.status().callState, 'Hold');
    call.ev.reofferResult(200, peerSdp(40000, { direction: 'recvonly', version: 2 }));
    h.phone.flash();
    assert.equal(h.line.state, 'talking');
    assert.match(call.lastReoffer!, /a=sendrecv/);
    assert.equal(call.reoffers.length, 2);
  });

  it('re-INVITE glare: 491 retried after 2.1–4 s as Call-ID owner (RFC 3261 §14.1)', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    const call = h.sip.last;
    call.ev.answered(peerSdp(40000));
    h.phone.flash();
    assert.equal(call.reoffers.length, 1);
    call.ev.reofferResult(491, undefined);
    h.clock.advance(2099);
    assert.equal(call.reoffers.length, 1);
    h.clock.advance(1901);
    assert.equal(call.reoffers.length, 2);
    assert.match(call.lastReoffer!, /a=sendonly/);
  });

  it('an exception inside a handler leaves the phone on reorder (off-hook), calls ended', () => {
    const h = makeLine();
    h.phone.offHook();
    h.phone.dial('1008#');
    const call = h.sip.last;
    call.ev.answered(peerSdp(40000));
    h.media.sessions[0]!.sendDigit = () => {
      throw new Error('boom');
    };
    h.phone.dial('1');
    assert.equal(h.line.state, 'failed');
    assert.equal(call.hungUp, 1);
    assert.equal(h.phone.tone, h.tones.reorder);
    h.phone.onHook();
    assert.equal(h.line.state, 'idle');
    assert.ok(h.log.records.some((r) => r.level === 'error'));
  });
});
