/** A small cookie-keeping HTTP client on node:http for the web UI's HTTP-level tests. */
import http from 'node:http';

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly bytes: Buffer;
}

export class WebClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  get(path: string): Promise<Reply> {
    return this.request('GET', path);
  }

  /** POST a urlencoded form; values may repeat as arrays. */
  postForm(path: string, fields: Record<string, string | string[]> | Array<[string, string]>): Promise<Reply> {
    const params = new URLSearchParams();
    const pairs = Array.isArray(fields) ? fields : Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]));
    for (const [k, v] of pairs) params.append(k, v);
    return this.request('POST', path, Buffer.from(params.toString()), 'application/x-www-form-urlencoded');
  }

  request(method: string, path: string, body?: Buffer, contentType?: string): Promise<Reply> {
    const url = new URL(path, this.base);
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      if (body) {
        headers['content-type'] = contentType ?? 'application/octet-stream';
        headers['content-length'] = body.length;
      }
      const req = http.request(url, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          for (const c of res.headers['set-cookie'] ?? []) {
            const [pair] = c.split(';');
            const eq = pair!.indexOf('=');
            const name = pair!.slice(0, eq);
            const value = pair!.slice(eq + 1);
            if (/Max-Age=0/i.test(c) || value === '') this.cookies.delete(name);
            else this.cookies.set(name, value);
          }
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** The CSRF token of the first form on a page. */
  static csrfOf(page: string): string {
    const m = /name="csrf" value="([^"]+)"/.exec(page);
    if (!m) throw new Error('no CSRF token on the page');
    return m[1]!;
  }

  /** Logs in with a password (and a user name, for RADIUS); returns the reply to the POST and the session's CSRF token (from /status). */
  async login(password: string, userName?: string): Promise<{ reply: Reply; csrf?: string }> {
    const form = await this.get('/login');
    const fields: Record<string, string> = { csrf: WebClient.csrfOf(form.body), P2: password, Login: 'Login', gnkey: '0b82' };
    if (userName !== undefined) fields.username = userName;
    const reply = await this.postForm('/login', fields);
    if (reply.status !== 303) return { reply };
    const status = await this.get('/status');
    return { reply, csrf: WebClient.csrfOf(status.body) };
  }
}
