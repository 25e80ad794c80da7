/**
 * A real unit for call integration tests: a Device (system clock, real sockets on 127.0.0.1)
 * with the hw, sip and calls services, a SimulatedPhone on the FXS jack, free SIP and RTP
 * ports; plus helpers for SIPp, tshark and a PCMU tone file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Device } from '../../../cpe/device';
import { createHwService, type HwService } from '../../../cpe/hw/service';
import { SimulatedPhone } from '../../../cpe/hw/sim/simulated-phone';
import { encodeUlaw } from '../../../cpe/media/codecs/g711';
import { SystemClock } from '../../../cpe/shared/clock';
import { silentLogger, type Logger } from '../../../cpe/shared/logger';
import { SipService } from '../../../cpe/voice/accounts/sip-service';
import { createCallsService, type CallsService } from '../../../cpe/voice/calls/calls-service';
import { startPeer, type Peer } from '../../support/peer';
import { freePort } from '../../support/ports';

export interface TestUnit {
  device: Device;
  phone: SimulatedPhone;
  sipPort: number;
  rtpPort: number;
  calls: CallsService;
  dir: string;
  stop(): Promise<void>;
}

/** An even UDP port with its next three free too (RTP + RTCP, and SIPp's video pair): freePort's block. */
export const freeRtpPort = freePort;

export async function bootUnit(params: Record<string, string>, log: Logger = silentLogger): Promise<TestUnit> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-calls-'));
  const sipPort = await freePort();
  const rtpPort = await freeRtpPort();
  const clock = new SystemClock();
  const device = new Device({
    dataDir: dir,
    clock,
    log,
    durability: 'normal',
    services: [
      { name: 'hw', create: createHwService },
      { name: 'sip', create: (ctx) => new SipService(ctx) },
      { name: 'calls', create: createCallsService },
    ],
  });
  await device.boot();
  const r = device.store.apply({ P271: '1', P31: '0', P35: '1001', P40: String(sipPort), P39: String(rtpPort), P109: '1', ...params }, 'cli');
  if (!r.ok) throw new Error(`params rejected: ${JSON.stringify(r.errors)}`);
  const hw = device.service<HwService>('hw');
  const calls = device.service<CallsService>('calls');
  if (!hw || !calls) throw new Error('hw or calls service did not start');
  const phone = new SimulatedPhone({ clock });
  hw.plugPhone(phone);
  // the account restarts on the change event: wait for its core on the new port
  const sip = device.service<SipService>('sip');
  for (let i = 0; i < 100 && !(sip?.account(1).core && sip.account(1).transport?.localAddress('udp').port === sipPort); i++) await sleep(20);
  return {
    device,
    phone,
    sipPort,
    rtpPort,
    calls,
    dir,
    stop: async () => {
      if (phone.isOffHook) phone.onHook();
      await device.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Raw mu-law (no header) of a sine, for SIPp's rtp_stream (peers.md §2). */
export function writeToneFile(file: string, hz: number, seconds: number): void {
  const n = 8000 * seconds;
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 8000));
  fs.writeFileSync(file, Buffer.from(encodeUlaw(pcm)));
}

export async function startTshark(dir: string, ports: number[], seconds = 40): Promise<{ peer: Peer; file: string }> {
  const file = path.join(dir, 'call.pcap');
  const filter = ports.map((p) => `udp port ${p}`).join(' or ');
  const peer = await startPeer('tshark', ['-i', 'lo', '-f', filter, '-w', file, '-a', `duration:${seconds}`], {
    ready: (out) => out.includes('Capturing on'),
    timeoutMs: 15_000,
  });
  return { peer, file };
}

export interface RtpStream {
  srcPort: number;
  dstPort: number;
  packets: number;
  payload: string;
}

/** `tshark -z rtp,streams`, decoding the given ports as RTP. */
export function rtpStreams(file: string, ports: number[]): RtpStream[] & { raw?: string } {
  const args = ['-r', file, '-q', '-z', 'rtp,streams', ...ports.flatMap((p) => ['-d', `udp.port==${p},rtp`])];
  const out = spawnSync('tshark', args, { encoding: 'utf8' }).stdout ?? '';
  const streams: RtpStream[] & { raw?: string } = [];
  streams.raw = out;
  for (const line of out.split('\n')) {
    // Start  End  Src IP  Port  Dest IP  Port  SSRC  Payload  Pkts ...
    const m = /^\s*[\d.]+\s+[\d.]+\s+([\d.]+)\s+(\d+)\s+([\d.]+)\s+(\d+)\s+(0x[0-9a-f]+)\s+(\S+)\s+(\d+)/i.exec(line);
    if (m) streams.push({ srcPort: Number(m[2]), dstPort: Number(m[4]), payload: m[6] as string, packets: Number(m[7]) });
  }
  return streams;
}

export function sipMethods(file: string): string[] {
  const out = spawnSync('tshark', ['-r', file, '-Y', 'sip', '-T', 'fields', '-e', 'sip.Method', '-e', 'sip.Status-Code'], { encoding: 'utf8' }).stdout ?? '';
  return out.split('\n').map((l) => l.trim().split('\t').filter(Boolean).join('')).filter(Boolean);
}
