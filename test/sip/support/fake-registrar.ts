/**
 * A scripted registrar on the in-memory network, for account tests under a FakeClock: answers
 * REGISTER with a digest challenge then 200 (or 403, 503, or silence), and OPTIONS with 200 (or
 * silence). Records every request with its arrival time.
 */
import { SeededRandom } from '../../../cpe/shared/random';
import { DigestServer } from '../../../cpe/voice/sip/auth/digest-server';
import type { SipRequest } from '../../../cpe/voice/sip/syntax';
import { makeResponse } from '../../../cpe/voice/sip/transaction/make-response';
import type { InMemoryNetwork, InMemoryTransport } from '../../../cpe/voice/sip/transport/in-memory-network';
import { responseTarget } from '../../../cpe/voice/sip/transport/transport';

export type RegistrarMode = 'ok' | '403' | '503' | 'silent';

export class FakeRegistrar {
  mode: RegistrarMode = 'ok';
  optionsMode: 'ok' | 'silent' = 'ok';
  readonly requests: Array<{ at: number; req: SipRequest }> = [];
  readonly users = new Map<string, string>([['1001', 'secret1001'], ['1002', 'secret1002']]);
  readonly bindings = new Map<string, { contact: string; expires: number }>();
  readonly transport: InMemoryTransport;
  private readonly auth = new DigestServer(new SeededRandom(99), 'peers.test');

  constructor(net: InMemoryNetwork, readonly address: string, readonly port = 5060) {
    this.transport = net.endpoint(address, port);
    this.transport.setUser({
      onMessage: (inc) => {
        if (inc.message.type !== 'request') return;
        const req = inc.message;
        this.requests.push({ at: net.clock.now(), req });
        const reply = (status: number, headers: Array<[string, string]> = []): void => {
          const res = makeResponse(req, status, { toTag: 'reg1', headers });
          void this.transport.send(res, responseTarget(inc));
        };
        if (req.method === 'OPTIONS') {
          if (this.optionsMode === 'ok') reply(200);
          return;
        }
        if (req.method !== 'REGISTER') return reply(405);
        if (this.mode === 'silent') return;
        if (this.mode === '403') return reply(403);
        if (this.mode === '503') return reply(503);
        const user = req.to.uri.kind === 'sip' ? (req.to.uri.user ?? '') : '';
        const pw = this.users.get(user);
        if (pw === undefined || !this.auth.verify(req, user, pw)) return reply(401, [['WWW-Authenticate', this.auth.challenge()]]);
        const expires = Number(req.headers.get('Expires') ?? '3600');
        const contact = req.contact[0];
        if (expires === 0) this.bindings.delete(user);
        else if (contact) this.bindings.set(user, { contact: JSON.stringify(contact.uri), expires });
        const res = makeResponse(req, 200, { toTag: 'reg1' });
        if (contact && expires > 0) {
          const c = { ...contact, params: contact.params.clone().set('expires', String(Math.min(expires, 3600))) };
          res.contact = [c];
        }
        void this.transport.send(res, responseTarget(inc));
      },
    });
  }

  registers(): Array<{ at: number; req: SipRequest }> {
    return this.requests.filter((r) => r.req.method === 'REGISTER');
  }
}
