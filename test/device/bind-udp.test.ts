/** Test plan: a UDP bind that fails (port taken) rejects and leaves no socket open; one that works resolves bound. */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { bindSocket } from '../../cpe/shared/bind-udp';

describe('UDP bind without leaks', () => {
  it('port taken: EADDRINUSE, and the failed socket is closed', async () => {
    const first = dgram.createSocket('udp4');
    await bindSocket(first, { port: 0, address: '127.0.0.1' });
    const port = first.address().port;
    const second = dgram.createSocket('udp4');
    let closed = false;
    second.on('close', () => (closed = true));
    await assert.rejects(bindSocket(second, { port, address: '127.0.0.1' }), /EADDRINUSE/);
    await new Promise((r) => setImmediate(r));
    assert.equal(closed, true);
    assert.ok(!(process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().includes(second));
    first.close();
  });
});
