/**
 * Grandstream dial plans (reference §6; P4200 FXS, P4201 FXO), e.g. the HT813 default
 * `{ x+ | \+x+ | *x+ | *xx*x+ }`.
 *
 * Grammar (whitespace between tokens ignored):
 *   plan    = '{' rule *( '|' rule ) '}'
 *   rule    = [ '^' | 'L:' ] element+        ^ = exclude (block), L: = place the call on the PSTN line
 *   element = key | 'x' | class | '.' | replace | (key | 'x' | class) '+'
 *   key     = 0-9 * # A-D | '\+'             a literal key; '\+' is the '+' sign
 *   class   = '[' ( key | digit '-' digit )+ ']'      e.g. [147], [3-5]
 *   replace = '<' keys '=' keys '>'           <2=011> replace leading 2 with 011; <=1> prepend 1
 * `x` is one digit 0-9, `e+` one or more of e (so `xx+` is two or more digits), `.` one or more
 * of any key. Matching and the meaning of its result are described at `matchDialPlan`.
 * The fallback of an invalid plan to `{x+}` (reference §6) is the caller's job: decoding throws.
 */
import { DecodeError } from '../../shared/errors';

export type SingleElement =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'digit' }
  | { readonly kind: 'class'; readonly keys: string; readonly text: string };

export type DialElement =
  | SingleElement
  | { readonly kind: 'repeat'; readonly element: SingleElement }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'replace'; readonly from: string; readonly to: string };

export interface DialRule {
  /** `^`: a number that matches this rule is not dialled. */
  readonly exclude: boolean;
  /** `L:`: the call goes out on the FXO/PSTN line. */
  readonly pstn: boolean;
  readonly elements: readonly DialElement[];
}

export interface DialPlan {
  readonly rules: readonly DialRule[];
}

export interface DialPlanMatch {
  /**
   * complete: some rule (not `^`) matches all digits and no `^` rule does;
   * partial:  not complete, but some rule could match once more keys are dialled;
   * none:     no rule can match, with or without more keys.
   */
  readonly kind: 'complete' | 'partial' | 'none';
  /** complete only: a longer number could also match (open rules like `x+`), so the caller waits for the no-key-entry timeout (P85) or `#` (P72). */
  readonly more?: boolean;
  /** complete only: the number to call, after `<..=..>` substitutions. */
  readonly dial?: string;
  /** complete only: the winning rule has `L:` (route to PSTN). */
  readonly pstn?: boolean;
  /** complete only: index of the winning rule. */
  readonly rule?: number;
  /** A `^` rule matches the digits as dialled so far. */
  readonly excluded?: boolean;
}

const KEY = /^[0-9*#A-Da-d]$/;

// --- decode --------------------------------------------------------------------------------

export function decodeDialPlan(s: string): DialPlan {
  const p = new Cursor(s);
  p.ws();
  if (p.peek() !== '{') throw new DecodeError(p.done() ? 'empty dial plan' : "dial plan must start with '{'", p.i);
  p.i++;
  const rules: DialRule[] = [];
  for (;;) {
    rules.push(parseRule(p));
    const c = p.peek();
    if (c === '|') {
      p.i++;
      continue;
    }
    if (c === '}') break;
    throw new DecodeError("missing '}' at the end of the dial plan", p.i);
  }
  p.i++;
  p.ws();
  if (!p.done()) throw new DecodeError("unexpected text after '}'", p.i);
  return { rules };
}

class Cursor {
  i = 0;
  constructor(readonly s: string) {}
  peek(): string | undefined {
    return this.s[this.i];
  }
  done(): boolean {
    return this.i >= this.s.length;
  }
  ws(): void {
    while (!this.done() && /\s/.test(this.s[this.i] as string)) this.i++;
  }
}

function parseRule(p: Cursor): DialRule {
  p.ws();
  const start = p.i;
  let exclude = false;
  let pstn = false;
  if (p.peek() === '^') {
    exclude = true;
    p.i++;
    p.ws();
  }
  if (p.peek() === 'L') {
    const m = /^L\s*:/.exec(p.s.slice(p.i));
    if (!m) throw new DecodeError("'L' must be followed by ':' (L: routes to the PSTN line)", p.i);
    if (exclude) throw new DecodeError('a rule cannot be both excluded (^) and routed to PSTN (L:)', p.i);
    pstn = true;
    p.i += m[0].length;
  }
  const elements: DialElement[] = [];
  for (;;) {
    p.ws();
    const at = p.i;
    const c = p.peek();
    if (c === undefined || c === '|' || c === '}') break;
    p.i++;
    if (c === 'x' || c === 'X') elements.push({ kind: 'digit' });
    else if (KEY.test(c)) elements.push({ kind: 'key', key: c.toUpperCase() });
    else if (c === '.') elements.push({ kind: 'wildcard' });
    else if (c === '\\') {
      if (p.peek() !== '+') throw new DecodeError("'\\' must be followed by '+'", at);
      p.i++;
      elements.push({ kind: 'key', key: '+' });
    } else if (c === '+') {
      const prev = elements.pop();
      if (prev === undefined) throw new DecodeError("'+' must follow a key, x or [class]; write \\+ for a literal plus", at);
      if (prev.kind === 'repeat' || prev.kind === 'wildcard' || prev.kind === 'replace') {
        throw new DecodeError(`'+' cannot follow ${describe(prev)}`, at);
      }
      elements.push({ kind: 'repeat', element: prev });
    } else if (c === '[') elements.push(parseClass(p, at));
    else if (c === '<') elements.push(parseReplace(p, at));
    else if (c === '^' || c === 'L') throw new DecodeError(`'${c}' is allowed only at the start of a rule`, at);
    else throw new DecodeError(`unexpected character '${c}'`, at);
  }
  if (elements.length === 0) throw new DecodeError('empty rule', start);
  if (elements.every((e) => e.kind === 'replace' && e.from === '')) {
    throw new DecodeError('rule matches no keys', start);
  }
  return { exclude, pstn, elements };
}

function describe(e: DialElement): string {
  return e.kind === 'repeat' ? 'another +' : e.kind === 'wildcard' ? "'.'" : 'a <..=..> replacement';
}

function parseClass(p: Cursor, open: number): SingleElement {
  let keys = '';
  let text = '';
  for (;;) {
    p.ws();
    const at = p.i;
    const c = p.peek();
    if (c === undefined) throw new DecodeError("missing ']'", open);
    p.i++;
    if (c === ']') break;
    if (!KEY.test(c)) throw new DecodeError(`unexpected character '${c}' in [class]`, at);
    const k = c.toUpperCase();
    p.ws();
    if (p.peek() === '-') {
      p.i++;
      p.ws();
      const end = p.peek();
      if (end === undefined || !/^[0-9]$/.test(end) || !/^[0-9]$/.test(k)) {
        throw new DecodeError('a range in [class] joins two digits, e.g. [3-5]', at);
      }
      if (end < k) throw new DecodeError(`empty range ${k}-${end} in [class]`, at);
      p.i++;
      for (let d = Number(k); d <= Number(end); d++) keys += String(d);
      text += `${k}-${end}`;
    } else {
      keys += k;
      text += k;
    }
  }
  if (keys === '') throw new DecodeError('empty [class]', open);
  return { kind: 'class', keys: [...new Set(keys)].join(''), text };
}

function parseReplace(p: Cursor, open: number): DialElement {
  const close = p.s.indexOf('>', p.i);
  if (close < 0) throw new DecodeError("missing '>'", open);
  const body = p.s.slice(p.i, close);
  const eq = body.indexOf('=');
  if (eq < 0) throw new DecodeError("a <..> replacement needs '=', e.g. <2=011> or <=1>", open);
  const side = (text: string, offset: number): string => {
    let out = '';
    for (let j = 0; j < text.length; j++) {
      const c = text[j] as string;
      if (/\s/.test(c) || c === '\\') continue;
      if (c !== '+' && !KEY.test(c)) throw new DecodeError(`unexpected character '${c}' in <..=..>`, offset + j);
      out += c.toUpperCase();
    }
    return out;
  };
  const from = side(body.slice(0, eq), p.i);
  const to = side(body.slice(eq + 1), p.i + eq + 1);
  p.i = close + 1;
  return { kind: 'replace', from, to };
}

// --- encode --------------------------------------------------------------------------------

/** Canonical text: `{ rule | rule }`, `L: ` with one space; decode(encode(p)) equals p. */
export function encodeDialPlan(plan: DialPlan): string {
  return `{ ${plan.rules.map(encodeRule).join(' | ')} }`;
}

function encodeRule(r: DialRule): string {
  return (r.exclude ? '^' : '') + (r.pstn ? 'L: ' : '') + r.elements.map(encodeElement).join('');
}

function encodeElement(e: DialElement): string {
  switch (e.kind) {
    case 'key':
      return e.key === '+' ? '\\+' : e.key;
    case 'digit':
      return 'x';
    case 'class':
      return `[${e.text}]`;
    case 'wildcard':
      return '.';
    case 'repeat':
      return `${encodeElement(e.element)}+`;
    case 'replace':
      return `<${e.from}=${e.to}>`;
  }
}

// --- match ---------------------------------------------------------------------------------

/** Specificity of a path: keys matched by a literal, by a [class], by x (or `.`), compared in that order. */
type Score = readonly [number, number, number];

interface Walk {
  readonly complete: Array<{ dial: string; score: Score }>;
  more: boolean;
}

/**
 * Matches the keys dialled so far against a plan (reference §6). No timers here: the caller
 * dials on `complete` without `more`, waits on `complete` with `more` or on `partial` until the
 * no-key-entry timeout (P85) or `#` (P72), and rejects on `none`.
 *
 * - Rules are tried as wholes; a rule matches when its elements consume every dialled key.
 * - Several matching rules: the most specific wins (more keys matched literally, then by a
 *   class, then by x), then the earlier rule. So in `{ x+ | L: 617x+ }` the number 6175551234
 *   takes the L: rule, as the user guide's "Route Calls TO PSTN" example requires.
 * - A `^` rule matching all dialled keys blocks the number; it is reported as `partial`
 *   (excluded) while another rule could still match a longer number, else `none`.
 * - `dial` is the dialled keys with the winning rule's `<from=to>` replacements applied.
 */
export function matchDialPlan(plan: DialPlan, digits: string): DialPlanMatch {
  let best: { dial: string; score: Score; rule: number; pstn: boolean } | undefined;
  let more = false;
  let excluded = false;
  plan.rules.forEach((rule, index) => {
    const w: Walk = { complete: [], more: false };
    walk(rule.elements, 0, digits, 0, '', [0, 0, 0], w);
    if (rule.exclude) {
      if (w.complete.length > 0) excluded = true;
      return;
    }
    if (w.more) more = true;
    for (const c of w.complete) {
      if (best === undefined || compare(c.score, best.score) > 0) best = { ...c, rule: index, pstn: rule.pstn };
    }
  });
  if (best !== undefined && !excluded) {
    return { kind: 'complete', more, dial: best.dial, pstn: best.pstn, rule: best.rule };
  }
  const ex = excluded ? { excluded: true } : {};
  return more ? { kind: 'partial', ...ex } : { kind: 'none', ...ex };
}

function compare(a: Score, b: Score): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

function plus(s: Score, e: SingleElement | 'wildcard'): Score {
  if (e === 'wildcard' || e.kind === 'digit') return [s[0], s[1], s[2] + 1];
  return e.kind === 'key' ? [s[0] + 1, s[1], s[2]] : [s[0], s[1] + 1, s[2]];
}

function accepts(e: SingleElement, key: string): boolean {
  switch (e.kind) {
    case 'key':
      return e.key === key;
    case 'digit':
      return key >= '0' && key <= '9' && key.length === 1;
    case 'class':
      return e.keys.includes(key);
  }
}

const ANY_KEY = /^[0-9*#A-D+]$/;

/** Depth-first over the elements; records full matches and whether more keys could still match. */
function walk(els: readonly DialElement[], i: number, digits: string, pos: number, out: string, score: Score, w: Walk): void {
  const e = els[i];
  if (e === undefined) {
    if (pos === digits.length) w.complete.push({ dial: out, score });
    return;
  }
  switch (e.kind) {
    case 'key':
    case 'digit':
    case 'class': {
      const k = digits[pos];
      if (k === undefined) w.more = true;
      else if (accepts(e, k)) walk(els, i + 1, digits, pos + 1, out + k, plus(score, e), w);
      return;
    }
    case 'repeat':
    case 'wildcard': {
      const one = (k: string): boolean => (e.kind === 'repeat' ? accepts(e.element, k) : ANY_KEY.test(k));
      let p = pos;
      let o = out;
      let sc = score;
      while (p < digits.length && one(digits[p] as string)) {
        o += digits[p] as string;
        sc = plus(sc, e.kind === 'repeat' ? e.element : 'wildcard');
        p++;
        walk(els, i + 1, digits, p, o, sc, w);
      }
      if (p === digits.length) w.more = true;
      return;
    }
    case 'replace': {
      const rest = digits.slice(pos);
      if (rest.startsWith(e.from)) walk(els, i + 1, digits, pos + e.from.length, out + e.to, [score[0] + e.from.length, score[1], score[2]], w);
      else if (e.from.startsWith(rest)) w.more = true;
      return;
    }
  }
}
