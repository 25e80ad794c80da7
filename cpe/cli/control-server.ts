import fs from 'node:fs';
import net from 'node:net';
import type { Device } from '../device';
import type { CwmpService } from '../cwmp/service';
import type { Logger } from '../shared/logger';
import { controlSocketPath, parseControlRequest, type ControlResponse } from './control-protocol';
import { executeRequest } from './param-ops';

const MAX_LINE = 1 << 20;

/** Serves the control socket of a running unit. Refuses to start when another live unit owns the folder. */
export class ControlServer {
  private server: net.Server | undefined;
  readonly path: string;

  constructor(private readonly device: Device, private readonly log: Logger) {
    this.path = controlSocketPath(device.dataDir);
  }

  async listen(): Promise<void> {
    if (fs.existsSync(this.path)) {
      if (await isLive(this.path)) throw new Error(`another unit is running on ${this.device.dataDir} (${this.path})`);
      fs.unlinkSync(this.path);
    }
    const server = net.createServer((sock) => this.serve(sock));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => resolve());
    });
    fs.chmodSync(this.path, 0o600);
    this.server = server;
  }

  private serve(sock: net.Socket): void {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('error', () => sock.destroy());
    sock.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > MAX_LINE) {
        sock.end(JSON.stringify({ ok: false, error: 'request too large' }) + '\n');
        return;
      }
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        void this.answer(line).then((resp) => sock.write(JSON.stringify(resp) + '\n'));
      }
    });
  }

  private async answer(line: string): Promise<ControlResponse> {
    try {
      const req = parseControlRequest(line);
      if (req.op === 'reset') {
        const refusal = this.device.store.resetRefusal(req.type);
        if (refusal) return { ok: false, error: refusal };
        // Answer first, then reset and reboot: the reboot closes the store this request used.
        setImmediate(() => {
          this.device.factoryReset(req.type, 'cli').catch((e: unknown) => this.log.error({ err: String(e) }, 'reset failed'));
        });
        return { ok: true, message: `reset ${req.type}: the unit resets and reboots` };
      }
      if (req.op === 'request-download') {
        const cwmp = this.device.service<CwmpService>('cwmp');
        if (!cwmp) return { ok: false, error: 'TR-069 is not running on this unit' };
        cwmp.requestDownload({ fileType: req.fileType, fileTypeArg: req.args });
        return { ok: true, message: `RequestDownload "${req.fileType}" queued for the next session with the ACS` };
      }
      return await executeRequest(this.device.store, req, () => Promise.reject(new Error('unreachable')));
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    if (fs.existsSync(this.path)) fs.unlinkSync(this.path);
  }
}

function isLive(p: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(p);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}
