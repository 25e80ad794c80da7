/**
 * Test plan: the session state machine alone over an in-memory AcsTransport (no sockets): the
 * state sequence of a normal session, failures at each step (ACS fault to the Inform, an
 * unexpected answer, 401, a transport error), the exchange limit, and every transition of a run
 * allowed by the ALLOWED table.
 */
import assert from 'node:assert/strict';
import type { AcsReply, AcsTransport } from '../../cpe/cwmp/http/acs-transport';
import { ALLOWED, CwmpSession, type SessionState } from '../../cpe/cwmp/session';
import { decodeEnvelope, encodeEnvelope } from '../../cpe/cwmp/soap/envelope';
import type { CwmpMessage } from '../../cpe/cwmp/soap/types';
import type { RpcContext } from '../../cpe/cwmp/rpc/context';
import { TransportError } from '../../cpe/shared/errors';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { FakeClock } from '../support/fake-clock';

type Answer = CwmpMessage | null | { status: number } | Error;

class MemoryTransport implements AcsTransport {
  readonly sent: string[] = [];
  closed = false;
  constructor(private readonly answers: Answer[]) {}
  async post(body: string): Promise<AcsReply> {
    this.sent.push(body);
    const a = this.answers.shift();
    if (a === undefined) throw new TransportError('script exhausted');
    if (a instanceof Error) throw a;
    if (a === null) return { status: 204, headers: {}, body: '' };
    if ('status' in a && !('method' in a)) return { status: a.status, headers: {}, body: '' };
    const req = body ? decodeEnvelope(body) : undefined;
    const id = (a as CwmpMessage).method.endsWith('Response') || (a as CwmpMessage).method === 'Fault' ? req?.id : 'acs';
    return { status: 200, headers: {}, body: encodeEnvelope({ version: '1-0', ...(id ? { id } : {}), body: a as CwmpMessage }) };
  }
  close(): void {
    this.closed = true;
  }
}

const inform: Extract<CwmpMessage, { method: 'Inform' }> = {
  method: 'Inform',
  deviceId: { manufacturer: 'Grandstream', oui: '000B82', productClass: 'HT813', serialNumber: 'S' },
  event: [{ code: '1 BOOT', commandKey: '' }],
  maxEnvelopes: 1,
  currentTime: '2026-01-01T00:00:00Z',
  retryCount: 0,
  parameterList: [],
};

function session(answers: Answer[], own: Array<{ method: 'TransferComplete' }> = []) {
  const transport = new MemoryTransport(answers);
  const log = new CapturingLogger();
  const acked: string[] = [];
  const s = new CwmpSession({
    transport,
    clock: new FakeClock(),
    random: new SeededRandom(3),
    log,
    inform,
    ownRequests: own.map(() => ({
      message: { method: 'TransferComplete', commandKey: 'k', fault: { code: 0, string: '' }, startTime: 'a', completeTime: 'b' },
      onAck: () => acked.push('k'),
    })),
    rpc: {} as RpcContext,
    onInformAcked: () => acked.push('inform'),
  });
  const states = (): SessionState[] =>
    log.records.filter((r) => r.msg === 'cwmp session state').map((r) => (r.obj as { to: SessionState }).to);
  return { s, transport, acked, states, log };
}

describe('cwmp session state machine (in-memory transport)', () => {
  it('normal session: informing → cpe-requests → empty-post → done, every step allowed', async () => {
    const t = session([{ method: 'InformResponse', maxEnvelopes: 1 }, { method: 'TransferCompleteResponse' }, null], [{ method: 'TransferComplete' }]);
    const r = await t.s.run();
    assert.deepEqual(r, { ok: true, exchanges: 3 });
    assert.deepEqual(t.acked, ['inform', 'k']);
    assert.equal(t.transport.closed, true);
    const seq: SessionState[] = ['idle', ...t.states()];
    assert.deepEqual(seq, ['idle', 'informing', 'cpe-requests', 'empty-post', 'done']);
    for (let i = 1; i < seq.length; i++) assert.ok(ALLOWED[seq[i - 1]!].includes(seq[i]!), `${seq[i - 1]} → ${seq[i]}`);
  });

  const failures: Array<[string, Answer[], RegExp, boolean]> = [
    ['ACS fault to the Inform', [{ method: 'Fault', faultCode: 8005, faultString: 'Retry request', setParameterValuesFault: [] }], /ACS fault 8005/, false],
    ['an unexpected answer to the Inform', [{ method: 'GetRPCMethods' }], /expected InformResponse/, false],
    ['204 to the Inform', [null], /empty answer to Inform/, false],
    ['401 without a usable challenge', [{ status: 401 }], /authentication/, false],
    ['HTTP 500', [{ status: 500 }], /HTTP 500/, false],
    ['a transport error after the Inform', [{ method: 'InformResponse', maxEnvelopes: 1 }, new TransportError('reset')], /reset/, true],
  ];
  for (const [name, answers, re, acked] of failures) {
    it(`fails cleanly on ${name}`, async () => {
      const t = session(answers);
      const r = await t.s.run();
      assert.equal(r.ok, false);
      assert.match((r as { reason: string }).reason, re);
      assert.equal((r as { informAcked: boolean }).informAcked, acked);
      assert.equal(t.s.state, 'failed');
      assert.equal(t.transport.closed, true);
    });
  }

  it('serves ACS requests until 204; an unknown method gets 9000 and the session goes on', async () => {
    const t = session([{ method: 'InformResponse', maxEnvelopes: 1 }, { method: 'GetQueuedTransfersResponse' as never, transferList: [] } as never, null]);
    // The ACS sends a *response* where a request belongs: the unit answers with fault 9000.
    const r = await t.s.run();
    assert.equal(r.ok, true);
    const answer = decodeEnvelope(t.transport.sent[2]!);
    assert.equal(answer.body?.method, 'Fault');
    assert.equal((answer.body as { faultCode: number }).faultCode, 9000);
  });
});
