/**
 * baresip as a real second / third party (peers.md §3): headless, auto-answer, a sine as its
 * microphone, received audio dumped to WAV by sndfile, driven over ctrl_tcp (netstring JSON).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startPeer, type Peer } from '../../support/peer';
import { freePort } from '../../support/ports';
import { freeRtpPort } from './unit';

export interface BaresipEvent {
  readonly type: string;
  readonly [k: string]: unknown;
}

export interface Baresip {
  readonly user: string;
  readonly sipPort: number;
  readonly dir: string;
  readonly events: BaresipEvent[];
  readonly peer: Peer;
  command(command: string, params?: string): Promise<Record<string, unknown>>;
  waitEvent(type: string, timeoutMs?: number, after?: number): Promise<BaresipEvent>;
  log(): string;
  stop(): Promise<void>;
}

/**
 * With `registrar`, the account registers there (user/secret<user>, peers.md §1) and the call
 * waits for REGISTER_OK. `mediaenc` loads baresip's srtp module: 'srtp' offers RTP/AVP with SDES
 * keys and takes plain RTP too, 'srtp-mand' offers RTP/SAVP and insists on SRTP.
 */
export async function startBaresip(root: string, opts: { user: string; toneHz?: number; answer?: 'auto' | 'manual'; registrar?: number; mediaenc?: 'srtp' | 'srtp-mand' }): Promise<Baresip> {
  const dir = path.join(root, `baresip-${opts.user}`);
  fs.mkdirSync(path.join(dir, 'snd'), { recursive: true });
  const sipPort = await freePort(); // its TLS listener takes sipPort + 1, inside freePort's block
  const ctrlPort = await freePort();
  const rtp = await freeRtpPort();
  fs.writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sipPort}`,
      'net_interface 127.0.0.1',
      'call_local_timeout 120',
      'call_max_calls 4',
      'audio_player alsa,null',
      `audio_source ausine,${opts.toneHz ?? 440}`,
      'ausrc_srate 48000',
      'ausrc_channels 2',
      'auplay_srate 8000',
      `snd_path ${path.join(dir, 'snd')}`,
      'audio_alert alsa,null',
      'ausrc_format s16',
      'auplay_format s16',
      'audio_buffer 20-160',
      `rtp_ports ${rtp}-${rtp + 3}`,
      'rtcp_mux no',
      'jitter_buffer_delay 5-10',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      ...(opts.mediaenc ? ['module srtp.so'] : []),
      'module aufile.so',
      'module ausine.so',
      'module alsa.so',
      'module sndfile.so',
      'module_tmp account.so',
      'module_app contact.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      '',
    ].join('\n'),
  );
  const enc = opts.mediaenc ? `;mediaenc=${opts.mediaenc}` : '';
  const account = opts.registrar
    ? `<sip:${opts.user}@127.0.0.1:${opts.registrar}>;auth_pass=secret${opts.user};answermode=${opts.answer ?? 'auto'};audio_codecs=PCMU;regint=300${enc}`
    : `<sip:${opts.user}@127.0.0.1:${sipPort}>;answermode=${opts.answer ?? 'auto'};audio_codecs=PCMU;regint=0${enc}`;
  fs.writeFileSync(path.join(dir, 'accounts'), `${account}\n`);
  fs.writeFileSync(path.join(dir, 'contacts'), '');
  const peer = await startPeer('baresip', ['-f', dir], {
    timeoutMs: 10_000,
    ready: () =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(ctrlPort, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      }),
  });
  const events: BaresipEvent[] = [];
  const waiting = new Map<string, (r: Record<string, unknown>) => void>();
  const sock = net.connect(ctrlPort, '127.0.0.1');
  let buf = '';
  sock.on('data', (d) => {
    buf += d.toString('utf8');
    for (;;) {
      const colon = buf.indexOf(':');
      if (colon < 0) return;
      const len = Number(buf.slice(0, colon));
      if (!Number.isFinite(len) || buf.length < colon + 1 + len + 1) return;
      const json = buf.slice(colon + 1, colon + 1 + len);
      buf = buf.slice(colon + 1 + len + 1);
      try {
        const m = JSON.parse(json) as Record<string, unknown>;
        if (m.event) events.push(m as unknown as BaresipEvent);
        if (m.response && typeof m.token === 'string') waiting.get(m.token)?.(m);
      } catch {
        /* ignore a frame we cannot read */
      }
    }
  });
  sock.on('error', () => undefined);
  await new Promise<void>((r) => sock.once('connect', () => r()));
  let token = 0;
  const b: Baresip = {
    user: opts.user,
    sipPort,
    dir,
    events,
    peer,
    command(command, params) {
      const t = `t${++token}`;
      const m = JSON.stringify({ command, ...(params !== undefined ? { params } : {}), token: t });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`baresip ${command}: no response`)), 5000);
        waiting.set(t, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
        sock.write(`${Buffer.byteLength(m)}:${m},`);
      });
    },
    async waitEvent(type, timeoutMs = 10_000, after = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const e = events.slice(after).find((x) => x.type === type);
        if (e) return e;
        if (Date.now() > deadline) throw new Error(`baresip ${opts.user}: no ${type} event; got ${events.map((x) => x.type).join(',')}\n${peer.output().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    log: () => peer.output(),
    async stop() {
      sock.destroy();
      await peer.stop();
    },
  };
  if (opts.registrar) {
    // registration completes before ctrl_tcp is connected, so its event is missed: read the log line
    const deadline = Date.now() + 10_000;
    while (!/200 OK .*binding/.test(peer.output())) {
      if (Date.now() > deadline) throw new Error(`baresip ${opts.user} did not register:\n${peer.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return b;
}
