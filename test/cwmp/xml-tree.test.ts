/**
 * parseXml builds the SOAP decoder's tree straight from sax events; xml2js (the parser it
 * replaced, same tokenizer) is the reference: every golden and foreign envelope and a table of
 * edge cases (whitespace, CDATA, attributes, prefixes, empty and repeated elements, trailing
 * content, malformed input) give the same tree or both refuse.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Parser, processors } from 'xml2js';
import { parseXml } from '../../cpe/cwmp/soap/xml';
import { DecodeError } from '../../cpe/shared/errors';

/** What the codec did before: xml2js with the same options, or undefined when it refused. */
function reference(xml: string): { root: string; node: unknown } | undefined {
  let out: unknown;
  let err: unknown;
  try {
    new Parser({ explicitArray: true, tagNameProcessors: [processors.stripPrefix], strict: true, async: false }).parseString(xml, (e: unknown, v: unknown) => {
      err = e;
      out = v;
    });
  } catch (e) {
    err = e;
  }
  if (err || !out || typeof out !== 'object') return undefined;
  const root = Object.keys(out)[0]!;
  const v = (out as Record<string, unknown>)[root];
  return { root, node: typeof v === 'string' ? { _: v } : v && typeof v === 'object' ? v : {} };
}

function ours(xml: string): { root: string; node: unknown } | undefined {
  try {
    return parseXml(xml);
  } catch (e) {
    assert.ok(e instanceof DecodeError, `not a DecodeError: ${String(e)}`);
    return undefined;
  }
}

const FIXTURES = ['envelopes', 'foreign'].flatMap((d) => {
  const dir = path.join(__dirname, '../../acs-fixtures', d);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => ({ name: `${d}/${f}`, xml: fs.readFileSync(path.join(dir, f), 'utf8') }));
});

const CASES: ReadonlyArray<readonly [string, string]> = [
  ['leaf text', '<a:E xmlns:a="urn:x"><b:V>1</b:V></a:E>'],
  ['empty and self-closing leaves', '<E><A/><B></B><C>  </C></E>'],
  ['whitespace between children dropped, kept in a leaf', '<E>\n  <A>\n</A>\n  <B> x </B>\n</E>'],
  ['mixed text and children', '<E>pre<A>1</A>post</E>'],
  ['attributes with prefixes', '<s:E xmlns:s="urn:s" s:a="1" b="&amp;&lt;"><s:I s:mustUnderstand="1">x</s:I><J t="2"/></s:E>'],
  ['attribute and whitespace text', '<E><A n="1">  </A></E>'],
  ['CDATA, also whitespace-only', '<E><A><![CDATA[<x>&]]></A><B><![CDATA[ ]]></B><C n="1"><![CDATA[ ]]></C></E>'],
  ['repeated children keep order', '<E><P>1</P><Q>a</Q><P>2</P><P>3</P></E>'],
  ['entities and character references', '<E><A>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;</A></E>'],
  ['names with several colons and xmlns-like names', '<a:b:E><xmlns:x>1</xmlns:x><c:d:F>2</c:d:F></a:b:E>'],
  ['byte order mark and declaration', '\ufeff<?xml version="1.0"?>\n<E><A>1</A></E>'],
  ['comment and processing instruction', '<E><!-- c --><?pi x?><A>1</A></E>'],
  ['trailing whitespace and comment', '<E><A>1</A></E>\n<!-- end -->\n'],
  ['trailing garbage after the root is ignored', '<E><A>1</A></E>garbage'],
  ['a second root is ignored', '<E>1</E><F>2</F>'],
  ['leaf root', '<E>text</E>'],
  ['malformed: mismatched close', '<E><A>1</B></E>'],
  ['malformed: unclosed root', '<E><A>1</A>'],
  ['malformed: text before the root', 'x<E/>'],
  ['malformed: unknown entity', '<E>&nbsp;</E>'],
  ['malformed: bad attribute', '<E a=1/>'],
  ['malformed: nothing but a declaration', '<?xml version="1.0"?>'],
  ['empty document', '   '],
];

describe('cwmp XML tree (sax) against xml2js', () => {
  for (const f of FIXTURES) {
    it(`fixture ${f.name}: same tree`, () => {
      const want = reference(f.xml);
      assert.ok(want, 'xml2js parses the fixture');
      assert.deepEqual(ours(f.xml), want);
    });
  }
  for (const [name, xml] of CASES) {
    it(`${name}: same tree or both refuse`, () => {
      assert.deepEqual(ours(xml), reference(xml));
    });
  }
  it('an element named `_` (xml2js crashed on it) gives a child list, never text', () => {
    const t = parseXml('<E><_>1</_></E>');
    assert.deepEqual(t.node, { _: ['1'] });
  });
  it('refuses malformed input with a DecodeError naming the problem', () => {
    assert.throws(() => parseXml('<E><A>1</B></E>'), (e: unknown) => e instanceof DecodeError && /malformed XML: Unexpected close tag/.test(e.message));
  });
});
