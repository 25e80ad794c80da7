/** P28127 incoming blacklist: parsing the stored value and matching From / P-Asserted-Identity; the policy read per profile. */
import assert from 'node:assert/strict';
import { blockedCaller, callerNumbers, parseBlacklist } from '../../cpe/voice/accounts/caller-blacklist';
import { OPEN_POLICY, readInboundPolicy } from '../../cpe/voice/accounts/inbound-policy';
import { decodeMessage, type SipRequest } from '../../cpe/voice/sip/syntax';
import { MapParams } from '../calls/fxs-fakes';

function invite(from: string, extra = ''): SipRequest {
  return decodeMessage(`INVITE sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK1\r\nFrom: ${from};tag=a\r\nTo: <sip:1001@127.0.0.1>\r\nCall-ID: c@h\r\nCSeq: 1 INVITE\r\n${extra}Content-Length: 0\r\n\r\n`) as SipRequest;
}

describe('sip: incoming blacklist (P28127)', () => {
  it('parses up to 10 comma-separated numbers, trimmed, without visual separators, empty items skipped', () => {
    assert.deepEqual(parseBlacklist(''), []);
    assert.deepEqual(parseBlacklist(' 6265551234 , (555) 000-1111,,+1.800.555 '), ['6265551234', '5550001111', '+1800555']);
    assert.deepEqual(parseBlacklist('1,2,3,4,5,6,7,8,9,10,11,12'), ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  const TABLE: Array<[string, SipRequest, string | undefined]> = [
    ['From user', invite('<sip:6265551234@10.0.0.9>'), '6265551234'],
    ['From user %-escaped', invite('<sip:%36265551234@10.0.0.9>'), '6265551234'],
    ['From tel URI with separators', invite('<tel:626-555-1234>'), '6265551234'],
    ['P-Asserted-Identity behind an anonymous From', invite('"Anonymous" <sip:anonymous@anonymous.invalid>', 'P-Asserted-Identity: "X" <sip:5550000@10.0.0.1>\r\n'), '5550000'],
    ['second P-Asserted-Identity (tel)', invite('<sip:1@10.0.0.9>', 'P-Asserted-Identity: <sip:2@h>, <tel:5550000>\r\n'), '5550000'],
    ['a number not listed', invite('<sip:6265551235@10.0.0.9>'), undefined],
    ['+ is part of the number', invite('<sip:+6265551234@10.0.0.9>'), undefined],
    ['a malformed P-Asserted-Identity asserts nothing', invite('<sip:1@10.0.0.9>', 'P-Asserted-Identity: <<<\r\n'), undefined],
  ];
  for (const [name, req, blocked] of TABLE) {
    it(name, () => assert.equal(blockedCaller(req, ['6265551234', '5550000']), blocked));
  }

  it('an empty list blocks nothing; callerNumbers lists From then each P-Asserted-Identity', () => {
    assert.equal(blockedCaller(invite('<sip:6265551234@h>'), []), undefined);
    assert.deepEqual(callerNumbers(invite('<sip:1@h>', 'P-Asserted-Identity: <sip:2@h>\r\n')), ['1', '2']);
  });

  it('the policy is read per profile (P243/P743, P4340/P4341, P258/P449, P2346/P2446); the blacklist is shared', () => {
    const p = new MapParams({ 243: '1', 4341: '1', 258: '1', 2446: '1', 28127: '123' });
    assert.deepEqual(readInboundPolicy(p, 1), { onlyFromProxy: true, validate: false, checkUserId: true, authenticateInvite: false, blacklist: ['123'] });
    assert.deepEqual(readInboundPolicy(p, 2), { onlyFromProxy: false, validate: true, checkUserId: false, authenticateInvite: true, blacklist: ['123'] });
    assert.deepEqual(readInboundPolicy(new MapParams({}), 1), OPEN_POLICY);
  });
});
