/**
 * Media benchmark.
 * 1. Codec throughput on 20 ms frames: G.711 µ-law/A-law encode+decode (our 8192/16384-entry
 *    tables) and G.726-32, against a plain 65536-entry table lookup baseline in the same run;
 *    DTMF detection (Goertzel) per frame.
 * 2. Concurrent full-duplex G.711 RTP streams on one core over loopback: N RtpSessions (one UDP
 *    socket each, on explicit ports as the unit binds them), each 20 ms tick encodes and sends a
 *    frame, plays one out of its jitter buffer (adaptive, PLC) and runs DTMF detection on it; a
 *    reflector child process (the other core, 20 echo sockets) sends every packet back, so the
 *    sessions pin their sockets to it. Reports packets/s, CPU % of this process, lateness.
 *    Goal: ≥ 1,000 concurrent streams per core.
 * 3. Fax tone detection (CNG, ANS/ANSam, V.21 preamble) per frame on tone, speech-like and silent
 *    frames, and the media work per stream with a detector on each direction, as a call runs it.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw, ulawEncode } from '../cpe/media/codecs/g711';
import { G726Decoder, G726Encoder } from '../cpe/media/codecs/g726';
import { G722, PCMU } from '../cpe/media/codecs/registry';
import { DtmfDetector } from '../cpe/media/dsp/dtmf-detector';
import { FaxToneDetector } from '../cpe/media/dsp/fax-tone-detector';
import { renderDualTone } from '../cpe/media/dsp/tone-generator';
import { RtpSession } from '../cpe/media/rtp/rtp-session';
import { encodeRtp } from '../cpe/media/rtp/rtp-packet';
import { SrtpContext } from '../cpe/media/srtp';
import { bindUdp, memorySocketPair, type UdpSocket } from '../cpe/media/rtp/udp-socket';
import { MediaClock } from '../cpe/media/media-clock';
import { SystemClock } from '../cpe/shared/clock';
import { SeededRandom } from '../cpe/shared/random';
import { line, measure } from './_report';

const frame = renderDualTone([440, 1200], -12, 20);
const REFLECTOR_PORTS = 20;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function codecs(): void {
  console.log('-- codec throughput (one 160-sample frame per op) --');
  const FULL = Uint8Array.from({ length: 65536 }, (_, i) => ulawEncode(i - 32768));
  const DEC = Int16Array.from({ length: 256 }, (_, c) => decodeUlaw(Uint8Array.of(c))[0]!);
  const bytes = new Uint8Array(160);
  const pcm = new Int16Array(160);
  const baseline = measure('baseline: plain 64k-table encode + decode', () => {
    for (let i = 0; i < 160; i++) bytes[i] = FULL[frame[i]! + 32768]!;
    for (let i = 0; i < 160; i++) pcm[i] = DEC[bytes[i]!]!;
  });
  console.log(line(baseline));
  console.log(line(measure('G.711 µ-law encodeUlaw + decodeUlaw', () => decodeUlaw(encodeUlaw(frame, bytes), pcm)), baseline));
  console.log(line(measure('G.711 A-law encodeAlaw + decodeAlaw', () => decodeAlaw(encodeAlaw(frame, bytes), pcm)), baseline));
  const enc = new G726Encoder();
  const dec = new G726Decoder();
  console.log(line(measure('G.726-32 encode + decode', () => dec.decode(enc.encode(frame))), baseline));
  const g722 = G722.createEncoder();
  const g722d = G722.createDecoder();
  console.log(line(measure('G.722 encode + decode (with 2× resampling)', () => g722d.decode(g722.encode(frame))), baseline));
  const det = new DtmfDetector();
  console.log(line(measure('DTMF detector (Goertzel, 8 tones)', () => det.push(frame)), baseline));
  const fax = new FaxToneDetector();
  console.log(line(measure('fax tone detector, this frame (440+1200 Hz)', () => fax.push(frame)), baseline));
  const voiced = vowelFrames();
  let v = 0;
  console.log(line(measure('fax tone detector, voiced speech-like frames', () => fax.push(voiced[v++ % voiced.length]!)), baseline));
  const quiet = new Int16Array(160);
  console.log(line(measure('fax tone detector, a silent frame', () => fax.push(quiet)), baseline));
  // SRTP on one 20 ms G.711 packet (172 bytes), both ends: what a secured stream adds per frame
  const key = Buffer.alloc(16, 7);
  const salt = Buffer.alloc(14, 9);
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', key, salt);
  const rx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', key, salt);
  let seq = 0;
  const rtp = (): Uint8Array => encodeRtp({ payloadType: 0, marker: false, sequenceNumber: (seq = (seq + 1) & 0xffff), timestamp: seq * 160, ssrc: 0x1234, payload: bytes });
  const copyOnly = measure('baseline: build + copy the RTP packet', () => Buffer.from(rtp()));
  console.log(line(copyOnly));
  console.log(line(measure('SRTP protect + unprotect (AES_CM_128_HMAC_SHA1_80)', () => rx.unprotectRtp(tx.protectRtp(rtp()))), copyOnly));
}

interface Run {
  streams: number;
  pps: number;
  cpu: number;
  lateTicks: number;
  lost: number;
  concealed: number;
}

async function setup(n: number, reflector: readonly number[], raw: boolean): Promise<{ sockets: UdpSocket[]; sessions: RtpSession[]; detectors: DtmfDetector[]; tick: () => void }> {
  const clock = new SystemClock();
  const random = new SeededRandom(n);
  const sockets: UdpSocket[] = [];
  const sessions: RtpSession[] = [];
  const detectors: DtmfDetector[] = [];
  let port = 20000;
  for (let i = 0; i < n; i++) {
    // Explicit even ports upward, as the unit takes its RTP ports from P39 (a port bound as 0
    // cannot be pinned to its peer, see udp-socket.ts).
    let s: UdpSocket | undefined;
    while (!s) {
      s = await bindUdp('127.0.0.1', port).catch(() => undefined);
      port += 2;
    }
    sockets.push(s);
    const remote = { address: '127.0.0.1', port: reflector[i % reflector.length]! };
    if (raw) {
      s.pin?.(remote); // connected, as the sessions get pinned
      continue;
    }
    sessions.push(new RtpSession({ socket: s, remote, rtcp: 'off', clock, random, codec: PCMU, eventPayloadType: 101, cname: `bench${i}`, jitter: { mode: 'adaptive', length: 'medium' } }));
    detectors.push(new DtmfDetector());
  }
  const tick = (): void => {
    for (let i = 0; i < n; i++) {
      const s = sessions[i]!;
      s.writeFrame(frame);
      detectors[i]!.push(s.readFrame());
    }
  };
  return { sockets, sessions, detectors, tick };
}

/**
 * Runs n streams on the real 20 ms media clock for `seconds`. CPU time of this process is
 * divided by the stream-frames actually executed (ticks skipped by an overloaded machine do not
 * count), which gives the cost per stream independent of the other load on the machine.
 * `raw` = the baseline: the same sockets (connected to their far end, as pinned sessions' are)
 * and packet rate with no media processing at all (a pre-built 172-byte packet sent, the echo
 * received and dropped; no RtpSession listens).
 */
async function streams(n: number, seconds: number, reflector: readonly number[], raw = false): Promise<Run & { usPerStreamFrame: number }> {
  const { sockets, sessions, tick } = await setup(n, reflector, raw);
  let rawRx = 0;
  let rawTx = 0;
  const pkt = Buffer.alloc(172, 0xff);
  pkt[0] = 0x80;
  const rawTick = (): void => {
    for (let i = 0; i < n; i++) sockets[i]!.send(pkt, { address: '127.0.0.1', port: reflector[i % reflector.length]! });
    rawTx += n;
  };
  if (raw) for (const s of sockets) s.onMessage(() => void rawRx++);
  const mc = new MediaClock(new SystemClock());
  let lateTicks = 0;
  let last = 0;
  let measuring = false;
  let frames = 0;
  const off = mc.onTick(() => {
    const now = Date.now();
    if (measuring && last && now - last > 30) lateTicks++;
    last = now;
    if (raw) rawTick();
    else tick();
    if (measuring) frames += n;
  });
  await sleep(1000); // warm-up: buffers fill, JIT settles
  const count = (): number => (raw ? rawRx + rawTx : sessions.reduce((a, s) => a + s.stats.received.packets + s.stats.sent.packets, 0));
  const p0 = count();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  measuring = true;
  await sleep(seconds * 1000);
  measuring = false;
  const cpu = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - t0) / 1000;
  const packets = count() - p0;
  off();
  const lost = sessions.reduce((a, s) => a + (s.receiveSource?.lost ?? 0), 0);
  const concealed = sessions.reduce((a, s) => a + s.stats.concealedFrames, 0);
  for (const s of sockets) s.close();
  const cpuUs = cpu.user + cpu.system;
  return { streams: n, pps: (packets / wall) * 1e6, cpu: (cpuUs / wall) * 100, lateTicks, lost, concealed, usPerStreamFrame: cpuUs / Math.max(1, frames) };
}

/** 50 frames (1 s) of a sung vowel: 120 Hz harmonics under formants at 700 / 1100 / 2400 Hz, about −15 dBm0. */
function vowelFrames(): Int16Array[] {
  const out: Int16Array[] = [];
  let t = 0;
  for (let f = 0; f < 50; f++) {
    const fr = new Int16Array(160);
    for (let i = 0; i < 160; i++, t++) {
      let x = 0;
      for (let h = 1; h * 120 < 3600; h++) {
        const hz = h * 120;
        const g = 1 / (1 + ((hz - 700) / 150) ** 2) + 0.5 / (1 + ((hz - 1100) / 150) ** 2) + 0.3 / (1 + ((hz - 2400) / 200) ** 2);
        x += g * Math.sin((2 * Math.PI * hz * t) / 8000);
      }
      fr[i] = Math.round(x * 1500);
    }
    out.push(fr);
  }
  return out;
}

/**
 * The media work alone (no kernel I/O): sessions joined by in-memory sockets, 500 ticks run back
 * to back; with `fax`, a fax tone detector on what is sent and one on what is played (a call's two).
 */
function inMemory(n: number, ticks: number, fax = false): number {
  let now = 0;
  const clock = { now: () => now, setTimer: () => () => undefined };
  const sessions: RtpSession[] = [];
  const detectors: DtmfDetector[] = [];
  const faxDetectors: FaxToneDetector[] = [];
  for (let i = 0; i < n; i++) {
    if (fax) faxDetectors.push(new FaxToneDetector(), new FaxToneDetector());
    const [a, b] = memorySocketPair();
    b.onMessage((d) => b.send(d, a.local)); // the far end echoes
    sessions.push(new RtpSession({ socket: a, remote: b.local, rtcp: 'off', clock, random: new SeededRandom(i), codec: PCMU, eventPayloadType: 101, cname: 'm' }));
    detectors.push(new DtmfDetector());
  }
  const tick = (): void => {
    now += 20;
    for (let i = 0; i < n; i++) {
      sessions[i]!.writeFrame(frame);
      const played = sessions[i]!.readFrame();
      detectors[i]!.push(played);
      if (fax) {
        faxDetectors[2 * i]!.push(frame);
        faxDetectors[2 * i + 1]!.push(played);
      }
    }
  };
  for (let t = 0; t < 50; t++) tick();
  const c0 = process.cpuUsage();
  for (let t = 0; t < ticks; t++) tick();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / (n * ticks);
}

async function main(): Promise<void> {
  codecs();
  console.log('\n-- concurrent full-duplex G.711 streams, jitter buffer + PLC + DTMF detection, loopback, 20 ms ticks --');
  // The far ends: REFLECTOR_PORTS echo sockets in a child process. Far ends are many peers in
  // real life; one socket would take 1,000 packets per tick and overflow its receive buffer,
  // and the losses would make the streams conceal (PLC) instead of playing what they receive.
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const dgram=require('node:dgram');const ports=[];let n=${REFLECTOR_PORTS};` +
        "for(let i=0;i<n;i++){const d=dgram.createSocket('udp4');d.on('message',(m,r)=>d.send(m,r.port,r.address));" +
        "d.bind(0,'127.0.0.1',()=>{ports.push(d.address().port);if(ports.length===n)console.log(ports.join(','));});}",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number[]>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim().split(',').map(Number))));
  console.log(`(machine load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores: real-time figures include time the scheduler gave to other processes)`);
  try {
    const report = (label: string, r: Run & { usPerStreamFrame: number }, base?: Run & { usPerStreamFrame: number }): void =>
      console.log(
        `${label.padEnd(26)} ${String(r.streams).padStart(5)} streams: ${Math.round(r.pps).toLocaleString('en-US').padStart(8)} packets/s  CPU ${r.cpu.toFixed(1).padStart(5)} %  ` +
          `${r.usPerStreamFrame.toFixed(1).padStart(5)} µs CPU/stream-frame → ${Math.floor(20_000 / r.usPerStreamFrame).toLocaleString('en-US').padStart(6)} streams/core  late ticks ${r.lateTicks}` +
          (base ? `  lost ${r.lost} concealed ${r.concealed}  ${(r.usPerStreamFrame / base.usPerStreamFrame).toFixed(2)}x baseline` : ''),
      );
    const base = await streams(1000, 4, port, true);
    report('baseline: raw UDP echo', base);
    const results = [];
    for (const n of [250, 1000]) {
      const r = await streams(n, 4, port);
      results.push(r);
      report('G.711 + JB + PLC + DTMF', r, base);
    }
    const mem = inMemory(1000, 300);
    console.log(`media work alone (in-memory transport, 1000 streams): ${mem.toFixed(1)} µs CPU/stream-frame → ${Math.floor(20_000 / mem).toLocaleString('en-US')} streams/core; the rest of the figure above is Node's UDP send/receive (baseline line)`);
    const withFax = inMemory(1000, 300, true);
    console.log(`  + fax tone detection both ways (on this tone frame): ${withFax.toFixed(1)} µs CPU/stream-frame (+${(withFax - mem).toFixed(1)} µs, ${((withFax / mem - 1) * 100).toFixed(0)} %)`);
    const cap = Math.floor(20_000 / results[results.length - 1]!.usPerStreamFrame);
    console.log(`goal ≥ 1,000 concurrent streams per core: ${cap >= 1000 ? 'met' : 'NOT met'} (${cap.toLocaleString('en-US')} streams by CPU cost per stream-frame at 1,000 streams)`);
  } finally {
    child.kill();
  }
}

void main();
