import assert from 'node:assert/strict';
import { CATALOGUE, ISP_DATA_IDS } from '../../cpe/params/catalogue/index';
import { SIP_PROFILE_ROWS } from '../../cpe/params/catalogue/sip-profiles';
import { STAR_PROFILE_OFFSET } from '../../cpe/params/catalogue/star-codes';
import { validateValue } from '../../cpe/params/validate';
import type { ParamDef } from '../../cpe/params/types';

const byId = new Map(CATALOGUE.map((d) => [d.id, d] as const));
const get = (id: number): ParamDef => {
  const d = byId.get(id);
  assert.ok(d, `P${id} missing`);
  return d;
};

describe('params catalogue', () => {
  it('has at least 400 entries', () => {
    assert.ok(CATALOGUE.length >= 400, `only ${CATALOGUE.length}`);
  });

  it('has unique ids and unique area-prefixed camelCase names', () => {
    const ids = new Set<number>();
    const names = new Set<string>();
    for (const d of CATALOGUE) {
      assert.ok(Number.isInteger(d.id) && d.id > 0, `bad id ${d.id}`);
      assert.ok(!ids.has(d.id), `P${d.id} twice`);
      assert.ok(!names.has(d.name), `${d.name} twice`);
      assert.match(d.name, /^[a-z][a-z0-9]*\.[a-z][A-Za-z0-9]*$/, d.name);
      ids.add(d.id);
      names.add(d.name);
    }
  });

  it('has every default valid for its own type', () => {
    for (const d of CATALOGUE) assert.equal(validateValue(d, d.default), null, `P${d.id} ${d.name}=${JSON.stringify(d.default)}`);
  });

  it('has sane types (ranges, enums, lengths)', () => {
    for (const d of CATALOGUE) {
      const t = d.type;
      if (t.kind === 'int') assert.ok(t.min <= t.max, `P${d.id}`);
      if (t.kind === 'enum') {
        assert.ok(t.values.length >= 2, `P${d.id}`);
        assert.equal(new Set(t.values.map((v) => v.value)).size, t.values.length, `P${d.id} enum values repeat`);
      }
      if ('maxLength' in t) assert.ok(t.maxLength > 0, `P${d.id}`);
    }
  });

  it('expands every side-by-side row to both profiles on their pages', () => {
    assert.ok(SIP_PROFILE_ROWS.length >= 100);
    for (const row of SIP_PROFILE_ROWS) {
      const [a, b] = [get(row.ids[0]), get(row.ids[1])];
      assert.equal(a.profile, 1, `P${a.id}`);
      assert.equal(b.profile, 2, `P${b.id}`);
      assert.equal(a.web?.page, 'fxs', `P${a.id}`);
      assert.equal(b.web?.page, 'fxo', `P${b.id}`);
      assert.equal(a.name.split('.')[1], b.name.split('.')[1]);
      assert.equal(a.reset, row.line ? 'other' : 'voip');
    }
  });

  it('marks only passwords, PINs and private keys secret, and every password secret', () => {
    for (const d of CATALOGUE) {
      const t = d.type;
      if (t.kind === 'password') assert.equal(d.secret, true, `P${d.id} is a password`);
      if (!d.secret) continue;
      const pin = t.kind === 'string' && t.charset === 'digits' && t.maxLength === 8;
      assert.ok(t.kind === 'password' || pin || t.kind === 'text', `P${d.id} secret of kind ${t.kind}`);
    }
    for (const id of [2, 196, 28113, 34, 734, 4505, 4512, 1361, 1359, 83, 8202, 281, 279, 8221, 794, 795]) {
      assert.equal(get(id).secret, true, `P${id}`);
    }
  });

  it('gives every web placement a page, section and label; status only for read-only entries', () => {
    for (const d of CATALOGUE) {
      if (d.web) {
        assert.ok(d.web.section.length > 0 && d.web.label.length > 0, `P${d.id}`);
        assert.equal(d.web.page === 'status', d.readOnly === true, `P${d.id} page ${d.web.page}`);
      } else {
        assert.ok(d.note, `P${d.id} has no web placement and no note saying why`);
      }
    }
  });

  it('gives the user level exactly the Basic Settings page', () => {
    for (const d of CATALOGUE) assert.equal(d.level === 'user', d.web?.page === 'basic', `P${d.id}`);
    assert.equal(get(2).level, 'admin');
    assert.equal(get(196).level, 'user');
  });

  it('resets exactly the FW802 basic_pvalues set as ISP data', () => {
    const isp = CATALOGUE.filter((d) => d.reset === 'isp').map((d) => d.id).sort((a, b) => a - b);
    assert.deepEqual(isp, [...ISP_DATA_IDS].sort((a, b) => a - b));
    for (const id of [47, 747, 4200, 4201, 4503, 237, 794, 24000, 24200]) assert.equal(get(id).reset, 'voip', `P${id}`);
    for (const id of [4000, 854, 68]) assert.equal(get(id).reset, 'other', `P${id}`);
  });

  it('carries the reference defaults and types (table)', () => {
    const cases: Array<[number, string, string, string]> = [
      // id, name, default, type kind
      [2, 'web.adminPassword', 'admin', 'password'],
      [196, 'web.userPassword', '123', 'password'],
      [28113, 'web.viewerPassword', 'viewer', 'password'],
      [68, 'sys.firmwareVersion', '1.0.7.1', 'string'],
      [89, 'sys.model', 'HT813', 'string'],
      [8, 'net.ipv4Mode', '0', 'enum'],
      [9, 'net.staticIp1', '192', 'octet'],
      [10, 'net.staticIp2', '168', 'octet'],
      [11, 'net.staticIp3', '0', 'octet'],
      [12, 'net.staticIp4', '160', 'octet'],
      [13, 'net.staticMask1', '255', 'octet'],
      [15, 'net.staticMask3', '0', 'octet'],
      [28116, 'web.sessionTimeout', '10', 'int'],
      [1650, 'web.accessMode', '1', 'enum'],
      [901, 'web.httpPort', '80', 'int'],
      [212, 'prov.upgradeVia', '2', 'enum'],
      [192, 'prov.firmwareServer', 'fm.grandstream.com/gs', 'host'],
      [22296, 'prov.autoUpgrade', '0', 'enum'],
      [194, 'prov.autoUpgradeLegacy', '0', 'enum'],
      [193, 'prov.checkInterval', '10080', 'int'],
      [1409, 'tr069.enable', '1', 'bool'],
      [4518, 'tr069.connectionRequestPort', '7547', 'int'],
      [4002, 'tones.busy', 'f1=480@-21,f2=620@-21,c=500/500;', 'tone'],
      [4040, 'tones.systemRingCadence', 'c=2000/4000;', 'cadence'],
      [4019, 'tones.ring10', 'c=2000/4000;', 'cadence'],
      [841, 'fxo.disconnectTone', 'f1=480@-32,f2=620@-32,c=500/500;', 'tone'],
      [4200, 'sip1.dialPlan', '{ x+ | \\+x+ | *x+ | *xx*x+ }', 'dialplan'],
      [4201, 'sip2.dialPlan', '{ x+ | \\+x+ | *x+ | *xx*x+ }', 'dialplan'],
      [47, 'sip1.primaryServer', '', 'host'],
      [747, 'sip2.primaryServer', '', 'host'],
      [40, 'sip1.localSipPort', '5060', 'int'],
      [740, 'sip2.localSipPort', '5062', 'int'],
      [739, 'sip2.localRtpPort', '5012', 'int'],
      [46, 'sip1.vocoder7', '123', 'enum'],
      [814, 'sip2.vocoder7', '123', 'enum'],
      [249, 'fxs.rxGain', '6', 'enum'],
      [283, 'fxo.rxGain', '0', 'enum'],
      [853, 'fxs.callerIdScheme', '0', 'enum'],
      [863, 'fxo.callerIdScheme', '0', 'enum'],
      [798, 'fxo.ringsBeforeAnswer', '4', 'int'],
      [195, 'fxo.pstnAccessCode', '*00', 'string'],
      [3304, 'fxo.stageMethod', '2', 'enum'],
      [24000, 'star1.forcedCodec', '02', 'string'],
      [24017, 'star1.dndOn', '78', 'string'],
      [24217, 'star2.dndOn', '78', 'string'],
      [24059, 'star1.forcedCodecEnabled', '1', 'bool'],
      [24199, 'star1.resetToDefaults', '0', 'bool'],
      [24399, 'star2.resetToDefaults', '0', 'bool'],
    ];
    for (const [id, name, dflt, kind] of cases) {
      const d = get(id);
      assert.equal(d.name, name, `P${id}`);
      assert.equal(d.default, dflt, `P${id}`);
      assert.equal(d.type.kind, kind, `P${id}`);
    }
  });

  it('offers the reference vocoder payload numbers', () => {
    for (const id of [57, 58, 59, 60, 61, 62, 46, 757, 758, 759, 760, 761, 762, 814]) {
      const t = get(id).type;
      assert.equal(t.kind, 'enum');
      if (t.kind === 'enum') assert.deepEqual(t.values.map((v) => v.value).sort(), ['0', '123', '18', '2', '4', '8', '9', '97'].sort());
    }
  });

  it('marks reboot-only settings', () => {
    for (const id of [8, 9, 12, 13, 21, 1415, 901, 27010, 1650, 231, 51, 64]) assert.equal(get(id).reboot, true, `P${id}`);
    // the SSH/Telnet ports rebind at once (cpe/mgmt/)
    for (const id of [47, 4000, 2, 28116, 27006, 28128]) assert.notEqual(get(id).reboot, true, `P${id}`);
  });

  it('keeps status entries read-only with numeric pseudo ids', () => {
    const ro = CATALOGUE.filter((d) => d.readOnly);
    assert.deepEqual(ro.map((d) => d.id).sort((a, b) => a - b), [68, 89, 99001, 99002, 99003, 99004]);
    assert.equal(get(99001).type.kind, 'mac');
  });

  it('P28127 incoming blacklist: at most 10 comma-separated dialable numbers', () => {
    const d = get(28127);
    assert.equal(validateValue(d, ''), null);
    assert.equal(validateValue(d, '6265551234, +15550000,*67,,1#'), null);
    assert.equal(validateValue(d, '1,2,3,4,5,6,7,8,9,10'), null);
    assert.equal(validateValue(d, '1,2,3,4,5,6,7,8,9,10,11'), 'must be at most 10 items separated by commas');
    assert.equal(validateValue(d, '555-1234'), 'must be a comma-separated list of dialable characters 0-9 * # A-D +');
    assert.equal(validateValue(d, 'alice'), 'must be a comma-separated list of dialable characters 0-9 * # A-D +');
  });

  it('numbers profile-2 star codes at +200', () => {
    const one = CATALOGUE.filter((d) => d.name.startsWith('star1.'));
    assert.equal(one.length, 57);
    for (const d of one) {
      const two = get(d.id + STAR_PROFILE_OFFSET);
      assert.equal(two.name, d.name.replace('star1.', 'star2.'));
      assert.equal(two.default, d.default);
      assert.ok(d.id >= 24000 && d.id <= 24199, `P${d.id}`);
    }
  });
});
