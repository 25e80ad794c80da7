/**
 * Test plan: an RTP media session whose RTCP port cannot be bound keeps no RTP port open either
 * (and says so in the log); one stopped before its ports are bound closes them when they arrive.
 */
import assert from 'node:assert/strict';
import { memorySocketPair, type UdpSocket } from '../../cpe/media/rtp/udp-socket';
import { CapturingLogger } from '../../cpe/shared/logger';
import { SeededRandom } from '../../cpe/shared/random';
import { RtpMediaSession } from '../../cpe/voice/calls/rtp-media-session';
import { FakeClock } from '../support/fake-clock';

function socket(closed: string[], name: string): UdpSocket {
  const [s] = memorySocketPair();
  return { ...s, local: s.local, send: s.send, onMessage: s.onMessage, close: () => void closed.push(name) };
}

const settings = () => ({ jitter: { mode: 'fixed' as const, length: 'low' as const }, eventCount: 3, endCount: 3, symmetric: false, rtcp: true, cname: 't' });

describe('RTP media session ports', () => {
  it('RTCP port refused: the RTP port is closed too, and the failure logged', async () => {
    const closed: string[] = [];
    const log = new CapturingLogger();
    const m = new RtpMediaSession('127.0.0.1', 40000, {
      clock: new FakeClock(),
      random: new SeededRandom(1),
      log,
      settings,
      bind: async (_a, port) => (port === 40000 ? socket(closed, 'rtp') : Promise.reject(new Error('EADDRINUSE'))),
    });
    await m.ready;
    assert.deepEqual(closed, ['rtp']);
    assert.ok(log.records.some((r) => r.msg === 'cannot bind the RTP port'));
  });

  it('stopped before the ports are bound: both are closed once they are', async () => {
    const closed: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const m = new RtpMediaSession('127.0.0.1', 40000, {
      clock: new FakeClock(),
      random: new SeededRandom(1),
      log: new CapturingLogger(),
      settings,
      bind: async (_a, port) => {
        await gate;
        return socket(closed, port === 40000 ? 'rtp' : 'rtcp');
      },
    });
    m.stop();
    release();
    await m.ready;
    assert.deepEqual(closed.sort(), ['rtcp', 'rtp']);
  });
});
