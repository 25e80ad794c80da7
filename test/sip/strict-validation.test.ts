/** P4340/P4341 strict request checks (RFC 3261 §8.1.1, §8.2.3, §20.15; RFC 6665, 3515, 3262), table-driven. */
import assert from 'node:assert/strict';
import { decodeMessage, type SipRequest } from '../../cpe/voice/sip/syntax';
import { validateRequest } from '../../cpe/voice/sip/ua/strict-validation';

const GOOD_INVITE = [
  'INVITE sip:1001@127.0.0.1 SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKabc',
  'From: <sip:6265551234@10.0.0.9>;tag=f1',
  'To: <sip:1001@127.0.0.1>',
  'Call-ID: c1@10.0.0.9',
  'CSeq: 1 INVITE',
  'Max-Forwards: 70',
  'Contact: <sip:6265551234@10.0.0.9:5060>',
  'Content-Type: application/sdp',
].join('\r\n');
const SDP = 'v=0\r\n';

function msg(head: string, body = ''): SipRequest {
  return decodeMessage(`${head}\r\nContent-Length: ${body.length}\r\n\r\n${body}`) as SipRequest;
}

const edit = (from: string, to: string): string => GOOD_INVITE.replace(from, to);
const request = (method: string, extra: string[] = []): string =>
  [`${method} sip:1001@127.0.0.1 SIP/2.0`, 'Via: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKm', 'From: <sip:a@10.0.0.9>;tag=f1', 'To: <sip:1001@127.0.0.1>;tag=t1', 'Call-ID: c2@10.0.0.9', `CSeq: 2 ${method}`, 'Max-Forwards: 70', ...extra].join('\r\n');

const CASES: Array<{ name: string; req: SipRequest; status?: number; problem?: string }> = [
  { name: 'a complete INVITE with SDP', req: msg(GOOD_INVITE, SDP) },
  { name: 'an INVITE without a body (late offer)', req: msg(edit('Content-Type: application/sdp', 'Supported: timer')) },
  { name: 'no Max-Forwards (§8.1.1.6)', req: msg(edit('Max-Forwards: 70', 'Supported: timer'), SDP), status: 400, problem: 'Missing Max-Forwards header field' },
  { name: 'no From tag (§8.1.1.3)', req: msg(edit(';tag=f1', ''), SDP), status: 400, problem: 'Missing From tag' },
  { name: 'no Via branch (§8.1.1.7)', req: msg(edit(';branch=z9hG4bKabc', ''), SDP), status: 400, problem: 'Missing Via branch' },
  { name: 'an RFC 2543 branch (§8.1.1.7 magic cookie)', req: msg(edit('branch=z9hG4bKabc', 'branch=abc'), SDP), status: 400, problem: 'Via branch without the z9hG4bK magic cookie' },
  { name: 'a bare magic cookie', req: msg(edit('branch=z9hG4bKabc', 'branch=z9hG4bK'), SDP), status: 400, problem: 'Via branch without the z9hG4bK magic cookie' },
  { name: 'a body without Content-Type (§20.15)', req: msg(edit('Content-Type: application/sdp', 'Supported: timer'), SDP), status: 400, problem: 'Missing Content-Type for the message body' },
  { name: 'an INVITE without Contact (§8.1.1.8)', req: msg(edit('Contact: <sip:6265551234@10.0.0.9:5060>', 'Supported: timer'), SDP), status: 400, problem: 'INVITE needs exactly one Contact' },
  { name: 'an INVITE with two Contacts', req: msg(edit('Contact: <sip:6265551234@10.0.0.9:5060>', 'Contact: <sip:a@h>, <sip:b@h>'), SDP), status: 400, problem: 'INVITE needs exactly one Contact' },
  { name: 'an INVITE whose Contact is a tel URI', req: msg(edit('<sip:6265551234@10.0.0.9:5060>', '<tel:+16265551234>'), SDP), status: 400, problem: 'Contact of an INVITE is not a SIP or SIPS URI' },
  { name: 'an INVITE with a text/plain body (§8.2.3)', req: msg(edit('application/sdp', 'text/plain'), 'hi'), status: 415, problem: 'Content-Type text/plain not supported' },
  { name: 'an INVITE with gzip Content-Encoding (§8.2.3)', req: msg(`${GOOD_INVITE}\r\nContent-Encoding: gzip`, SDP), status: 415, problem: 'Content-Encoding gzip not supported' },
  { name: 'application/sdp with parameters', req: msg(edit('application/sdp', 'application/SDP;charset=utf-8'), SDP) },
  { name: 'NOTIFY without Event (RFC 6665)', req: msg(request('NOTIFY')), status: 400, problem: 'Missing Event header field' },
  { name: 'NOTIFY with Event', req: msg(request('NOTIFY', ['Event: check-sync'])) },
  { name: 'SUBSCRIBE with two Events', req: msg(request('SUBSCRIBE', ['Event: a', 'Event: b'])), status: 400, problem: 'More than one Event header field' },
  { name: 'REFER without Refer-To (RFC 3515 §2.4.1)', req: msg(request('REFER')), status: 400, problem: 'Missing Refer-To header field' },
  { name: 'PRACK without RAck (RFC 3262 §7.2)', req: msg(request('PRACK')), status: 400, problem: 'Missing RAck header field' },
  { name: 'BYE as it should be', req: msg(request('BYE')) },
];

describe('sip: strict validation of incoming requests (P4340/P4341)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const p = validateRequest(c.req);
      if (c.status === undefined) return assert.equal(p, undefined, p?.problem);
      assert.equal(p?.status, c.status);
      assert.equal(p?.problem, c.problem);
      if (c.status === 400) assert.equal(p?.reason, `Bad Request - ${c.problem}`);
      if (c.status === 415) assert.ok(p?.headers.some(([n]) => n === 'Accept' || n === 'Accept-Encoding'));
    });
  }

  it('what the decoder already refuses stays there: a CSeq method unlike the request method (§8.1.1.5)', () => {
    assert.throws(() => msg(GOOD_INVITE.replace('CSeq: 1 INVITE', 'CSeq: 1 BYE'), SDP), /CSeq method does not match/);
  });
});
