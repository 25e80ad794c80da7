/**
 * multipart/form-data (RFC 7578) decoder for the firmware and config upload forms. Pure: bytes in,
 * parts out; a malformed body throws DecodeError. Only what browsers send: CRLF line ends, one
 * level of parts, `Content-Disposition: form-data; name=...; filename=...`.
 */
import { DecodeError } from '../shared/errors';

export interface FormPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

/** The boundary of a `multipart/form-data; boundary=...` content type (RFC 2046 §5.1.1: 1-70 characters). */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

const MAX_PARTS = 16;
const MAX_HEADER_BYTES = 2048;

export function decodeMultipart(body: Buffer, boundary: string): FormPart[] {
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  if (pos < 0) throw new DecodeError('multipart: no boundary in body', 0);
  const parts: FormPart[] = [];
  for (;;) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts; // close delimiter
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw new DecodeError('multipart: expected CRLF after boundary', pos);
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0 || headEnd - pos > MAX_HEADER_BYTES) throw new DecodeError('multipart: part headers missing or too long', pos);
    const headers = body.subarray(pos, headEnd).toString('utf8').split('\r\n');
    const dataStart = headEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), dataStart);
    if (next < 0) throw new DecodeError('multipart: part not terminated by a boundary', dataStart);
    parts.push(partFrom(headers, body.subarray(dataStart, next), pos));
    if (parts.length > MAX_PARTS) throw new DecodeError('multipart: too many parts', pos);
    pos = next + 2;
  }
}

function partFrom(headers: readonly string[], data: Buffer, pos: number): FormPart {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const h of headers) {
    const colon = h.indexOf(':');
    if (colon < 0) throw new DecodeError('multipart: malformed part header', pos);
    const key = h.slice(0, colon).trim().toLowerCase();
    const value = h.slice(colon + 1).trim();
    if (key === 'content-disposition') {
      if (!/^form-data\b/i.test(value)) throw new DecodeError('multipart: part is not form-data', pos);
      name = param(value, 'name');
      filename = param(value, 'filename');
    } else if (key === 'content-type') {
      contentType = value;
    }
  }
  if (name === undefined) throw new DecodeError('multipart: part without a name', pos);
  return { name, data, ...(filename !== undefined ? { filename } : {}), ...(contentType !== undefined ? { contentType } : {}) };
}

function param(header: string, key: string): string | undefined {
  const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header) ?? new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(header);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : undefined;
}

/** A part's data as text, for plain fields such as the CSRF token. */
export function fieldText(parts: readonly FormPart[], name: string): string | undefined {
  const p = parts.find((x) => x.name === name && x.filename === undefined);
  return p ? p.data.toString('utf8') : undefined;
}
