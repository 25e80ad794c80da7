/** Dialogs (RFC 3261 §12): ids, route sets from Record-Route, loose and strict routing, CSeq rules. */
import assert from 'node:assert/strict';
import { Dialog } from '../../cpe/voice/sip/dialog/dialog';
import { decodeMessage, encodeUri, type SipRequest, type SipResponse } from '../../cpe/voice/sip/syntax';

const INVITE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.atlanta.example.com>',
  'Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>',
  'Content-Length: 0', '', '',
].join('\r\n');

const OK = [
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8',
  'Record-Route: <sip:p2.example.com;lr>',
  'Record-Route: <sip:p1.example.com;lr>',
  'To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
  'Contact: <sip:bob@192.0.2.4>',
  'Content-Length: 0', '', '',
].join('\r\n');

describe('sip dialog (§12)', () => {
  it('UAC: route set is the reversed Record-Route, target the Contact; BYE uses loose routing', () => {
    const d = Dialog.fromUacResponse(decodeMessage(INVITE) as SipRequest, decodeMessage(OK) as SipResponse);
    assert.deepEqual(d.id, { callId: 'a84b4c76e66710', localTag: '1928301774', remoteTag: 'a6c85cf' });
    assert.deepEqual(d.routeSet.map((r) => encodeUri(r.uri)), ['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
    const bye = d.createRequest('BYE');
    assert.equal(encodeUri(bye.uri), 'sip:bob@192.0.2.4');
    assert.deepEqual(bye.route.map((r) => encodeUri(r.uri)), ['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
    assert.deepEqual(bye.cseq, { seq: 314160, method: 'BYE' });
    assert.equal(bye.to.params.get('tag'), 'a6c85cf');
    assert.equal(encodeUri(d.nextHop()), 'sip:p1.example.com;lr');
    const ack = d.createRequest('ACK', { cseq: 314159 });
    assert.deepEqual(ack.cseq, { seq: 314159, method: 'ACK' });
  });

  it('UAS: route set is Record-Route in order; strict routing puts the first route in the Request-URI', () => {
    const req = decodeMessage(INVITE.replace('<sip:p2.example.com;lr>, <sip:p1.example.com;lr>', '<sip:strict.example.com>, <sip:p1.example.com;lr>')) as SipRequest;
    const d = Dialog.fromUasRequest(req, 'uas1');
    assert.equal(d.remoteSeq, 314159);
    const bye = d.createRequest('BYE');
    assert.equal(encodeUri(bye.uri), 'sip:strict.example.com');
    assert.deepEqual(bye.route.map((r) => encodeUri(r.uri)), ['sip:p1.example.com;lr', 'sip:alice@pc33.atlanta.example.com']);
    assert.equal(bye.from.params.get('tag'), 'uas1');
  });

  it('rejects in-dialog requests with an old CSeq and refreshes the target', () => {
    const d = Dialog.fromUasRequest(decodeMessage(INVITE) as SipRequest, 'uas1');
    const reinvite = decodeMessage(INVITE.replace('CSeq: 314159', 'CSeq: 314160').replace('Contact: <sip:alice@pc33', 'Contact: <sip:alice@pc34')) as SipRequest;
    assert.equal(d.receiveRequest(reinvite), true);
    assert.equal(encodeUri(d.remoteTarget), 'sip:alice@pc34.atlanta.example.com');
    assert.equal(d.receiveRequest(reinvite), false);
  });
});
