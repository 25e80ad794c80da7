/**
 * A malformed request from real software we did not write: SIPp sends an OPTIONS with a broken
 * Max-Forwards to the FXS account's port, expects "400 Bad Request - bad Max-Forwards" (the
 * scenario checks the reason phrase), then the repaired OPTIONS and its 200. SIPp's exit code is
 * the verdict.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { SystemClock } from '../../cpe/shared/clock';
import { SipService } from '../../cpe/voice/accounts/sip-service';
import { freePort } from '../support/ports';
import { SCENARIOS } from './support/sipp';
import { sipContext } from './support/sip-context';

describe('sip integration: SIPp sends a malformed request', function () {
  this.timeout(30_000);

  it('gets a 400 naming the problem, and the unit keeps answering', async () => {
    const port = await freePort();
    // an active account with no server: its port is open, nothing registers
    const t = sipContext(new SystemClock(), { P271: '1', P35: '1001', P40: String(port), P401: '0', P740: String(await freePort()) });
    const sip = new SipService(t.ctx);
    await sip.start();
    try {
      const out: string[] = [];
      const cp = await freePort();
      const sippPort = await freePort();
      const code = await new Promise<number | null>((resolve) => {
        const p = spawn('sipp', ['-sf', path.join(SCENARIOS, 'bad-request.xml'), `127.0.0.1:${port}`, '-i', '127.0.0.1', '-p', String(sippPort),
          '-cp', String(cp), '-m', '1', '-nostdin', '-timeout', '15s', '-recv_timeout', '5000'], { stdio: ['ignore', 'pipe', 'pipe'] });
        p.stdout.on('data', (d: Buffer) => out.push(d.toString()));
        p.stderr.on('data', (d: Buffer) => out.push(d.toString()));
        p.on('exit', (c) => resolve(c));
      });
      assert.equal(code, 0, `SIPp failed:\n${out.join('').slice(-2000)}`);
      assert.ok(t.log.text().includes('malformed message'), 'the bad request is logged');
    } finally {
      await sip.stop('shutdown');
      t.cleanup();
    }
  });
});

