/**
 * Our RTP streams decoded by ffmpeg (a peer we did not write): ffmpeg reads an SDP naming the
 * codec, receives our packets on loopback and writes PCM; the tone we sent must come out at
 * its level. Covers PCMU, PCMA, G726-32 (payload type 2, RFC 3551 packing) and OPUS (RFC 7587,
 * 48 kHz RTP clock, decoded by ffmpeg's own libopus).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, udpBound } from '../support/ports';
import { haveCommand, startPeer } from '../support/peer';
import { SystemClock } from '../../cpe/shared/clock';
import { CryptoRandom } from '../../cpe/shared/random';
import { bindUdp } from '../../cpe/media/rtp/udp-socket';
import { RtpSession } from '../../cpe/media/rtp/rtp-session';
import { G726_32, OPUS, PCMA, PCMU, type AudioCodec } from '../../cpe/media/codecs/registry';
import { MediaClock } from '../../cpe/media/media-clock';
import { BufferPort } from '../../cpe/media/media-port';
import { renderDualTone } from '../../cpe/media/dsp/tone-generator';
import { toneAmplitude } from '../../cpe/media/dsp/goertzel';
import { peakToDbm0 } from '../../cpe/media/dsp/audio';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('media interop: ffmpeg decodes our RTP streams', function () {
  this.timeout(60_000);
  let dir = '';
  before(() => {
    assert.ok(haveCommand('ffmpeg'), 'ffmpeg is missing: install it (.ci/deps/media.list)');
    dir = mkdtempSync(path.join(os.tmpdir(), 'media-ffmpeg-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [AudioCodec, number, string, number][] = [
    [PCMU, 0, 'PCMU/8000', 20],
    [PCMA, 8, 'PCMA/8000', 40],
    [G726_32, 2, 'G726-32/8000', 20],
    [OPUS, 111, 'opus/48000/2', 20],
  ];
  for (const [codec, pt, rtpmap, ptime] of cases) {
    it(`${rtpmap} (ptime ${ptime}): a −10 dBm0 700 Hz tone comes out of ffmpeg at level`, async () => {
      const port = await freePort();
      const sdp = path.join(dir, `${codec.name}.sdp`);
      const out = path.join(dir, `${codec.name}.raw`);
      writeFileSync(sdp, `v=0\no=- 0 0 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio ${port} RTP/AVP ${pt}\na=rtpmap:${pt} ${rtpmap}\na=ptime:${ptime}\n`);
      const ff = await startPeer('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp', '-i', sdp, '-t', '1.5', '-ar', '8000', '-ac', '1', '-f', 's16le', '-y', out], {
        ready: () => udpBound(port), // ffmpeg listening
        timeoutMs: 10_000,
      });
      const sock = await bindUdp('127.0.0.1', 0);
      const clock = new SystemClock();
      const session = new RtpSession({ socket: sock, remote: { address: '127.0.0.1', port }, rtcp: 'off', clock, random: new CryptoRandom(), codec, payloadType: pt, ptimeMs: ptime, cname: 'ht813' });
      const mc = new MediaClock(clock);
      mc.connect(new BufferPort(renderDualTone([700], -10, 3000)), session);
      const exit = new Promise<void>((resolve) => (ff.proc.exitCode !== null ? resolve() : ff.proc.once('exit', () => resolve())));
      await Promise.race([exit, sleep(8000)]);
      mc.stop();
      session.close();
      sock.close();
      await ff.stop();
      const raw = readFileSync(out);
      const pcm = new Int16Array(raw.buffer, raw.byteOffset, raw.length >> 1);
      assert.ok(pcm.length >= 8000, `ffmpeg wrote ${pcm.length} samples:\n${ff.output()}`);
      const level = peakToDbm0(toneAmplitude(pcm, 2000, 6000, 700));
      assert.ok(Math.abs(level + 10) < 1, `700 Hz at ${level.toFixed(2)} dBm0`);
      assert.ok(toneAmplitude(pcm, 2000, 6000, 1400) < toneAmplitude(pcm, 2000, 6000, 700) / 30, 'clean tone');
    });
  }
});
