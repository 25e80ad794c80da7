/**
 * How the voice menu says values (user guide table 5): one prompt per symbol — digits, "dot",
 * the hex letters of a MAC address. A server path is said as its address when it is an IPv4
 * address, else as "host name" (the menu cannot spell names), or "not set".
 */
import type { PromptId } from '../media/prompts/prompt-text';

const SYMBOL: Readonly<Record<string, PromptId>> = {
  '0': 'd0', '1': 'd1', '2': 'd2', '3': 'd3', '4': 'd4', '5': 'd5', '6': 'd6', '7': 'd7', '8': 'd8', '9': 'd9',
  '.': 'dot', a: 'a', b: 'b', c: 'c', d: 'd', e: 'e', f: 'f',
};

/** Each known symbol of `text` (digits, '.', a-f), in order; others are left out. */
export function symbols(text: string): PromptId[] {
  const out: PromptId[] = [];
  for (const ch of text.toLowerCase()) {
    const p = SYMBOL[ch];
    if (p) out.push(p);
  }
  return out;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** True for a dotted IPv4 address with every octet in 0–255. */
export function isIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/** An IPv4 address, or "not set" when empty. */
export function addressWords(address: string | undefined): PromptId[] {
  return address && isIpv4(address) ? symbols(address) : ['notSet'];
}

/** A server path (`host[:port][/path]` or a URL): its address when it is an IPv4 literal. */
export function serverWords(path: string): PromptId[] {
  if (path.trim() === '') return ['notSet'];
  const host = path.replace(/^[a-z]+:\/\//i, '').replace(/^[^@/]*@/, '').split(/[/:]/)[0] ?? '';
  return isIpv4(host) ? symbols(host) : ['hostName'];
}
