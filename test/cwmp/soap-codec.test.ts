/**
 * Golden envelopes (acs-fixtures/envelopes/): every message encodes to its file and decodes back
 * to the same value. Envelopes written by others (GenieACS layout, other prefixes) decode; bad
 * input throws DecodeError or decodes as Unknown / Invalid, never anything else.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SAMPLES } from '../../acs-fixtures/samples';
import { decodeEnvelope, encodeEnvelope } from '../../cpe/cwmp/soap/envelope';
import { DecodeError } from '../../cpe/shared/errors';

const DIR = path.join(__dirname, '../../acs-fixtures/envelopes');
const FOREIGN = path.join(__dirname, '../../acs-fixtures/foreign');

describe('cwmp SOAP codec', () => {
  for (const s of SAMPLES) {
    it(`golden ${s.file}: encode matches the file, decode gives the message back`, () => {
      const xml = encodeEnvelope({ version: '1-0', ...(s.id ? { id: s.id } : {}), ...(s.holdRequests !== undefined ? { holdRequests: s.holdRequests } : {}), body: s.message });
      const file = path.join(DIR, `${s.file}.xml`);
      if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, `${xml}\n`);
      assert.equal(xml, fs.readFileSync(file, 'utf8').trimEnd());
      const env = decodeEnvelope(xml);
      assert.equal(env.id, s.id);
      assert.equal(env.version, '1-0');
      assert.deepEqual(env.body, s.message);
      if (s.holdRequests !== undefined) assert.equal(env.holdRequests, true);
    });
  }

  it('decodes a GenieACS-style request: cwmp-1-2, SessionTimeout, whitespace, arrayType', () => {
    const env = decodeEnvelope(fs.readFileSync(path.join(FOREIGN, 'genieacs-get-parameter-values.xml'), 'utf8'));
    assert.equal(env.version, '1-2');
    assert.equal(env.id, '61e2a3f8b5e6f0a1c2d3');
    assert.equal(env.sessionTimeout, 45);
    assert.deepEqual(env.body, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SoftwareVersion', 'Device.ManagementServer.'] });
  });

  it('decodes an ACS fault with other prefixes', () => {
    const env = decodeEnvelope(fs.readFileSync(path.join(FOREIGN, 'acs-fault-to-inform.xml'), 'utf8'));
    assert.deepEqual(env.body, { method: 'Fault', faultCode: 8005, faultString: 'Retry request', setParameterValuesFault: [] });
  });

  it('writes SessionTimeout and SupportedCWMPVersions headers with mustUnderstand 0', () => {
    const xml = encodeEnvelope({ version: '1-2', id: 'a', sessionTimeout: 60, supportedCwmpVersions: '1.0,1.1,1.2', body: null });
    assert.match(xml, /<cwmp:SessionTimeout soap-env:mustUnderstand="0">60<\/cwmp:SessionTimeout>/);
    assert.match(xml, /<cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">1.0,1.1,1.2<\/cwmp:SupportedCWMPVersions>/);
    const env = decodeEnvelope(xml);
    assert.equal(env.sessionTimeout, 60);
    assert.equal(env.supportedCwmpVersions, '1.0,1.1,1.2');
    assert.equal(env.body, null);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['not XML', 'hello', /malformed|root/],
    ['truncated', '<soap:Envelope xmlns:soap="x"><soap:Body><cwmp:Get', /malformed/],
    ['not an Envelope', '<a/>', /not a SOAP Envelope/],
    ['no Body', '<soap:Envelope xmlns:soap="x"/>', /without a Body/],
    ['two bodies', '<E><Body><a/><b/></Body></E>'.replace(/E>/g, 'Envelope>'), /more than one element/],
    ['DOCTYPE', '<!DOCTYPE x [<!ENTITY a "b">]><Envelope><Body/></Envelope>', /DOCTYPE/],
    ['unknown namespace', '<Envelope xmlns:c="urn:dslforum-org:cwmp-9-9"><Body/></Envelope>', /unsupported CWMP namespace/],
    ['must-understand header', '<Envelope xmlns:s="x"><Header><Foo s:mustUnderstand="1"/></Header><Body/></Envelope>', /must be understood/],
    ['huge', `<Envelope><Body>${'x'.repeat(1_100_000)}</Body></Envelope>`, /larger than/],
  ];
  for (const [name, xml, re] of bad) {
    it(`rejects ${name} with a DecodeError`, () => {
      assert.throws(() => decodeEnvelope(xml), (e: unknown) => e instanceof DecodeError && re.test(e.message));
    });
  }

  it('an unknown method decodes as Unknown, bad arguments as Invalid (so the ID can be echoed)', () => {
    const u = decodeEnvelope('<Envelope><Header><ID>7</ID></Header><Body><ChangeDUState/></Body></Envelope>');
    assert.deepEqual(u.body, { method: 'Unknown', name: 'ChangeDUState' });
    assert.equal(u.id, '7');
    const i = decodeEnvelope('<Envelope><Body><ScheduleInform><DelaySeconds>soon</DelaySeconds></ScheduleInform></Body></Envelope>');
    assert.equal(i.body?.method, 'Invalid');
  });

  it('survives random mutations of golden envelopes (typed error or a value, never anything else)', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const corpus = SAMPLES.map((s) => encodeEnvelope({ version: '1-0', id: 'x', body: s.message }));
    for (let k = 0; k < 2000; k++) {
      const src = corpus[rnd(corpus.length)]!;
      const chars = [...src];
      for (let m = 0; m < 1 + rnd(4); m++) chars.splice(rnd(chars.length), rnd(3), ...'<>/"&x'.charAt(rnd(6)));
      try {
        decodeEnvelope(chars.join(''));
      } catch (e) {
        assert.ok(e instanceof DecodeError, `mutation ${k}: ${String(e)}`);
      }
    }
  });
});
