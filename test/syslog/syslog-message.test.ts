/**
 * The RFC 5424 codec and the RFC 5425 framing: the four examples of RFC 5424 §6.5 decode to the
 * expected fields and encode back byte for byte; SD-PARAM escaping (§6.3.3); the BOM rule (§6.4);
 * what decode refuses; octet-counting frames split across chunks (RFC 5425 §4.3).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DecodeError } from '../../cpe/shared/errors';
import { frameSyslog, SyslogDeframer } from '../../cpe/syslog/octet-counting';
import { decodeSyslog, encodeSyslog, syslogTimestamp, type SyslogMessage } from '../../cpe/syslog/syslog-message';

interface Golden {
  examples: Array<{ name: string; wire: string; message: SyslogMessage }>;
}
const GOLDEN = JSON.parse(fs.readFileSync(path.join(__dirname, '../golden/syslog/rfc5424-6.5.json'), 'utf8')) as Golden;

/** decodeSyslog leaves absent fields undefined; the golden file leaves them out. */
function defined(m: SyslogMessage): Record<string, unknown> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined));
}

describe('syslog message codec (RFC 5424)', () => {
  for (const g of GOLDEN.examples) {
    it(`${g.name}: decode, then encode byte for byte`, () => {
      const wire = Buffer.from(g.wire, 'utf8');
      const m = decodeSyslog(wire);
      assert.deepEqual(defined(m), g.message);
      assert.deepEqual(encodeSyslog(m), wire);
    });
  }

  it('example 1 carries the BOM as EF BB BF before MSG (§6.4)', () => {
    const wire = encodeSyslog(GOLDEN.examples[0]!.message);
    const at = wire.indexOf("'su root'");
    assert.deepEqual([...wire.subarray(at - 3, at)], [0xef, 0xbb, 0xbf]);
  });

  it('escapes ", \\ and ] in PARAM-VALUE and reads them back (§6.3.3)', () => {
    const m: SyslogMessage = {
      facility: 16, severity: 6, structuredData: [{ id: 'x@32473', params: [['v', 'a"b\\c]d']] }], msg: 'ok',
    };
    const wire = encodeSyslog(m).toString('utf8');
    assert.equal(wire, '<134>1 - - - - - [x@32473 v="a\\"b\\\\c\\]d"] ok');
    assert.deepEqual(decodeSyslog(wire).structuredData, m.structuredData);
    // a backslash before anything else is a backslash (§6.3.3)
    assert.deepEqual(decodeSyslog('<134>1 - - - - - [x v="a\\nb"]').structuredData, [{ id: 'x', params: [['v', 'a\\nb']] }]);
  });

  it('writes the BOM when MSG holds non-ASCII, not otherwise (§6.4)', () => {
    const base = { facility: 16, severity: 7, structuredData: [] };
    assert.equal(encodeSyslog({ ...base, msg: 'plain' }).toString('latin1'), '<135>1 - - - - - - plain');
    const utf8 = encodeSyslog({ ...base, msg: 'Müller' });
    assert.deepEqual(utf8, Buffer.from('<135>1 - - - - - - \ufeffMüller', 'utf8'));
    assert.equal(decodeSyslog(utf8).msg, 'Müller');
  });

  it('keeps "no MSG" and "an empty MSG" apart', () => {
    const none = decodeSyslog('<135>1 - - - - - -');
    const empty = decodeSyslog('<135>1 - - - - - - ');
    assert.equal(none.msg, undefined);
    assert.equal(empty.msg, '');
    assert.equal(encodeSyslog(none).toString(), '<135>1 - - - - - -');
    assert.equal(encodeSyslog(empty).toString(), '<135>1 - - - - - - ');
  });

  it('formats TIMESTAMP as §6.2.3 wants (upper-case T and Z, milliseconds)', () => {
    assert.equal(syslogTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), '2026-01-02T03:04:05.006Z');
    // §6.2.3.1 examples that decode
    for (const t of ['1985-04-12T23:20:50.52Z', '1985-04-12T19:20:50.52-04:00', '2003-10-11T22:14:15.003Z', '2003-08-24T05:14:15.000003-07:00']) {
      assert.equal(decodeSyslog(`<1>1 ${t} - - - - -`).timestamp, t);
    }
  });

  const BAD: Array<[string, string, RegExp]> = [
    ['no PRI', '1 - - - - - -', /no PRI/],
    ['PRI above 191', '<192>1 - - - - -', /PRI 192/],
    ['PRI with a leading zero', '<034>1 - - - - -', /PRI 034/],
    ['VERSION 2', '<34>2 - - - - -', /VERSION 2/],
    ['leap second (§6.2.3.1)', '<34>1 2003-10-11T23:59:60Z - - - - -', /TIMESTAMP/],
    ['lower-case t (§6.2.3.1)', '<34>1 2003-10-11t22:14:15.003Z - - - - -', /TIMESTAMP/],
    ['7 fraction digits (§6.2.3.1)', '<34>1 2003-08-24T05:14:15.000000003-07:00 - - - - -', /TIMESTAMP/],
    ['APP-NAME over 48', `<34>1 - - ${'a'.repeat(49)} - - -`, /APP-NAME/],
    ['MSGID over 32', `<34>1 - - - - ${'m'.repeat(33)} -`, /MSGID/],
    ['a missing field', '<34>1 - - - -', /SP expected|MSGID/],
    ['SD-ELEMENT not closed', '<34>1 - - - - - [x a="1"', /not closed/],
    ['PARAM-VALUE not quoted', '<34>1 - - - - - [x a=1]', /="value"/],
    ['SD neither - nor [', '<34>1 - - - - - x', /STRUCTURED-DATA/],
  ];
  for (const [name, wire, why] of BAD) {
    it(`refuses ${name} with a DecodeError`, () => {
      assert.throws(() => decodeSyslog(wire), (e: unknown) => e instanceof DecodeError && why.test(e.message));
    });
  }

  it('refuses to encode what the ABNF forbids', () => {
    const base = { facility: 16, severity: 6, structuredData: [] };
    assert.throws(() => encodeSyslog({ ...base, hostname: 'has space' }), /HOSTNAME/);
    assert.throws(() => encodeSyslog({ ...base, msgId: 'x'.repeat(33) }), /MSGID/);
    assert.throws(() => encodeSyslog({ ...base, severity: 8 }), /severity/);
    assert.throws(() => encodeSyslog({ ...base, timestamp: '2026-01-01 00:00:00' }), /TIMESTAMP/);
    assert.throws(() => encodeSyslog({ ...base, structuredData: [{ id: 'a=b', params: [] }] }), /SD-NAME/);
  });
});

describe('syslog octet-counting framing (RFC 5425 §4.3)', () => {
  it('prefixes the length in octets, not characters', () => {
    const m = encodeSyslog({ facility: 16, severity: 6, structuredData: [], msg: 'é' });
    const f = frameSyslog(m);
    assert.equal(f.toString('latin1', 0, f.indexOf(0x20)), String(m.length));
    assert.equal(m.length, '<134>1 - - - - - - '.length + 3 + 2, 'BOM and é are 5 octets');
  });

  it('splits a stream back into messages, across any chunking', () => {
    const msgs = GOLDEN.examples.map((g) => Buffer.from(g.wire, 'utf8'));
    const stream = Buffer.concat(msgs.map(frameSyslog));
    for (const size of [1, 3, 17, stream.length]) {
      const d = new SyslogDeframer();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) out.push(...d.push(stream.subarray(i, i + size)));
      assert.deepEqual(out, msgs, `chunks of ${size}`);
    }
  });

  it('refuses a frame without a number', () => {
    assert.throws(() => new SyslogDeframer().push(Buffer.from('<34>1 - - - - -')), DecodeError);
    assert.throws(() => new SyslogDeframer().push(Buffer.from('012 x')), DecodeError);
  });
});
