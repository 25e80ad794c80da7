/** HTTP(S) PUT for Upload (TR-069 A.4.1.5), with Basic or Digest answered when challenged. */
import http from 'node:http';
import https from 'node:https';
import type { Random } from '../../shared/random';
import { CwmpFault } from '../faults';
import { basicAuthorization, digestAuthorization, parseChallenges } from './digest';

export interface PutOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly body: Buffer;
  readonly contentType: string;
  readonly random: Random;
  readonly ca?: readonly string[];
  readonly verify?: boolean;
  readonly timeoutMs?: number;
}

function once(o: PutOptions, auth: string | undefined): Promise<http.IncomingMessage> {
  const u = new URL(o.url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: 'PUT',
        headers: { 'Content-Type': o.contentType, 'Content-Length': o.body.length, ...(auth ? { Authorization: auth } : {}) },
        ...(u.protocol === 'https:' ? { rejectUnauthorized: o.verify !== false, ...(o.ca ? { ca: [...o.ca] } : {}) } : {}),
        timeout: o.timeoutMs ?? 60_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res));
      },
    );
    req.on('timeout', () => req.destroy(new Error('upload timed out')));
    req.on('error', (e) => reject(new CwmpFault(9011, e.message)));
    req.end(o.body);
  });
}

export async function httpPut(o: PutOptions): Promise<void> {
  const u = new URL(o.url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new CwmpFault(9013, `${u.protocol} uploads are not supported`);
  let res = await once(o, undefined);
  if (res.statusCode === 401) {
    const h = res.headers['www-authenticate'];
    const ch = parseChallenges(h === undefined ? [] : Array.isArray(h) ? h : [h]);
    const digest = ch.find((c) => c.scheme === 'Digest');
    const auth = digest
      ? digestAuthorization({
          username: o.username,
          password: o.password,
          method: 'PUT',
          uri: u.pathname + u.search,
          params: digest.params,
          cnonce: o.random.bytes(8).toString('hex'),
          nc: 1,
          body: o.body.toString('latin1'),
        })
      : basicAuthorization(o.username, o.password);
    res = await once(o, auth);
    if (res.statusCode === 401 || res.statusCode === 403) throw new CwmpFault(9012, `upload server answered ${res.statusCode}`);
  }
  const s = res.statusCode ?? 0;
  if (s < 200 || s > 299) throw new CwmpFault(9011, `upload server answered ${s}`);
}
