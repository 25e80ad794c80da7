/*
 * Test plan: the SNMP block P-values (P21896-P21916) as settings, table-driven: defaults, the
 * agent's version/community/user, the trap destination forms, and each unusable combination with
 * a reason that names the P-value and never quotes a key or a community.
 */
import assert from 'node:assert/strict';
import { ht813Catalogue } from '../../cpe/params/catalogue';
import { snmpSettings, type SnmpSettings } from '../../cpe/snmp/snmp-settings';

const catalogue = ht813Catalogue();
function settings(values: Record<number, string>, des = true): SnmpSettings {
  return snmpSettings((id) => values[id] ?? catalogue.get(id)!.default, des);
}

/** On, v2c: what the trap cases start from. */
const ON = { 21896: '1', 21904: '2', 21902: 'Comm-Agent' };
const V3 = { 21896: '1', 21904: '3', 21905: 'alice', 21910: '2', 21906: '2', 21907: '2', 21908: 'Auth-Secret-1', 21909: 'Priv-Secret-1' };

describe('SNMP settings from P-values', () => {
  it('defaults: off, v3, port 161, no traps, nothing to complain about', () => {
    assert.deepEqual(settings({}), { enabled: false, port: 161, version: 'v3', community: '', problems: [] });
  });

  const cases: Array<[string, Record<number, string>, Partial<SnmpSettings> | ((s: SnmpSettings) => void)]> = [
    ['v2c with a community', { 21896: '1', 21904: '2', 21902: 'Comm-Secret', 21903: '1161' }, { enabled: true, version: 'v2c', community: 'Comm-Secret', port: 1161, problems: [] }],
    ['v1 with an empty community: refused, and said so', { 21896: '1', 21904: '1' }, (s) => assert.deepEqual(s.problems, ['P21902 (community) is empty: every v1/v2c request is refused'])],
    ['v3 authPriv SHA/AES', V3, (s) => assert.deepEqual(s.user, { name: 'alice', level: 'authPriv', auth: 'sha', priv: 'aes', authKey: 'Auth-Secret-1', privKey: 'Priv-Secret-1' })],
    ['v3 authNoPriv MD5: no privacy key kept', { ...V3, 21910: '1', 21906: '1' }, (s) => assert.deepEqual(s.user, { name: 'alice', level: 'authNoPriv', auth: 'md5', authKey: 'Auth-Secret-1', privKey: '' })],
    ['v3 noAuthNoPriv', { ...V3, 21910: '0' }, (s) => assert.deepEqual(s.user, { name: 'alice', level: 'noAuthNoPriv', authKey: '', privKey: '' })],
    ['v3 without a user name', { ...V3, 21905: '' }, (s) => { assert.equal(s.user, undefined); assert.match(s.problems[0]!, /^P21905 \(SNMPv3 user\) is empty/); }],
    ['v3 authentication asked with protocol None', { ...V3, 21906: '0' }, (s) => assert.match(s.problems[0]!, /^P21910 asks for authentication but P21906 is None/)],
    ['v3 privacy asked with protocol None', { ...V3, 21907: '0' }, (s) => assert.match(s.problems[0]!, /^P21910 asks for privacy but P21907 is None/)],
    ['v3 authentication key under 8 characters', { ...V3, 21908: 'Xq7kz' }, (s) => assert.match(s.problems[0]!, /^P21908 \(authentication key\) is shorter than 8 characters/)],
    ['v3 privacy key under 8 characters', { ...V3, 21909: 'Zk9w' }, (s) => assert.match(s.problems[0]!, /^P21909 \(privacy key\) is shorter than 8 characters/)],
    ['v3 DES where it is available', { ...V3, 21907: '1' }, (s) => assert.equal(s.user?.priv, 'des')],
    ['trap destination, v2c by default, port P21898', { ...ON, 21897: '192.0.2.5', 21900: 'Trap-Comm' }, { trap: { host: '192.0.2.5', port: 162, version: 'v2c', community: 'Trap-Comm', intervalMinutes: 5 } }],
    ['trap destination host:port and interval', { ...ON, 21897: 'nms.example:1162', 21899: '1', 21901: '15' }, { trap: { host: 'nms.example', port: 1162, version: 'v1', community: '', intervalMinutes: 15 } }],
    ['trap destination [v6]:port', { ...ON, 21897: '[2001:db8::1]:2000' }, (s) => assert.deepEqual([s.trap?.host, s.trap?.port], ['2001:db8::1', 2000])],
    ['trap destination that is not host:port', { ...ON, 21897: 'a b' }, (s) => { assert.equal(s.trap, undefined); assert.match(s.problems[0]!, /^P21897 .*no traps are sent$/); }],
    ['a trap destination with SNMP off sends nothing', { 21896: '0', 21897: '192.0.2.5' }, (s) => assert.equal(s.trap, undefined)],
    ['v3 traps with their own user', { ...ON, 21897: '192.0.2.5', 21899: '3', 21911: 'trapper', 21916: '1', 21912: '1', 21914: 'Trap-Auth-1' }, (s) => assert.deepEqual(s.trap?.user, { name: 'trapper', level: 'authNoPriv', auth: 'md5', authKey: 'Trap-Auth-1', privKey: '' })],
    ['v3 traps without a trap user', { ...ON, 21897: '192.0.2.5', 21899: '3' }, (s) => { assert.equal(s.trap, undefined); assert.match(s.problems[0]!, /^P21911 \(SNMPv3 trap user\) is empty: no traps are sent/); }],
  ];
  for (const [name, values, expected] of cases) {
    it(name, () => {
      const s = settings(values);
      if (typeof expected === 'function') expected(s);
      else for (const [k, v] of Object.entries(expected)) assert.deepEqual(s[k as keyof SnmpSettings], v, k);
      for (const p of s.problems) assert.doesNotMatch(p, /Secret|Xq7kz|Zk9w|Comm/, 'no key or community quoted');
    });
  }

  it('DES refused clearly where this OpenSSL lacks it', () => {
    const s = settings({ ...V3, 21907: '1' }, false);
    assert.equal(s.user, undefined);
    assert.deepEqual(s.problems, ['P21907 = DES refused: DES-CBC is not available in this OpenSSL: v3 requests are refused']);
  });
});
