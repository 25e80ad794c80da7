/**
 * A G3 fax machine on a simulated line: spandsp's T.30 (test/media/tools/fax-spandsp.c) as a
 * child process, in lock-step with the FakeClock. Every 20 ms frame the line delivers to the
 * phone goes to its stdin; flush() waits for its answer frames and writes them back into the
 * line, so the machine hears and speaks in the line's time, one frame behind, however fast the
 * test runs. The process is ended by its own handle in stop().
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { LineAudio } from '../../../cpe/hw/types';

export interface FaxResult {
  /** T.30 completion code (0 = OK, T30_ERR_OK). */
  readonly code: number;
  readonly pages: number;
  readonly rate: number;
  readonly text: string;
}

const FRAME_BYTES = 320;

export class FaxMachine {
  private readonly proc: ChildProcessWithoutNullStreams;
  private out = Buffer.alloc(0);
  private owed = 0;
  private stderr = '';
  private wake: (() => void) | undefined;
  private readonly off: () => void;
  private exited = false;
  /** Frames exchanged with the line. */
  frames = 0;

  constructor(exe: string, readonly mode: 'send' | 'receive', file: string, private readonly line: LineAudio) {
    this.proc = spawn(exe, [mode, file]);
    this.proc.stdout.on('data', (d: Buffer) => {
      this.out = Buffer.concat([this.out, d]);
      this.wake?.();
    });
    this.proc.stderr.on('data', (d: Buffer) => void (this.stderr += d.toString('utf8')));
    this.proc.on('exit', () => {
      this.exited = true;
      this.wake?.();
    });
    this.proc.stdin.on('error', () => undefined);
    this.off = line.onFrame((f) => {
      // a copy: the line may reuse its frame
      this.proc.stdin.write(Buffer.from(new Uint8Array(f.buffer, f.byteOffset, f.byteLength)));
      this.owed++;
    });
  }

  /** Waits for the answers to the frames heard so far and speaks them into the line. */
  async flush(): Promise<void> {
    while (this.out.length < this.owed * FRAME_BYTES && !this.exited) await new Promise<void>((r) => (this.wake = r));
    this.wake = undefined;
    for (; this.owed > 0 && this.out.length >= FRAME_BYTES; this.owed--) {
      const f = new Int16Array(160);
      for (let i = 0; i < 160; i++) f[i] = this.out.readInt16LE(2 * i);
      this.out = this.out.subarray(FRAME_BYTES);
      this.line.write(f);
      this.frames++;
    }
  }

  /** The T.30 phase E report, once the call's fax part is over. */
  get result(): FaxResult | undefined {
    const m = /phase-e code=(\d+) pages=(\d+) rate=(\d+) ecm=\d text=(.*)/.exec(this.stderr);
    return m ? { code: Number(m[1]), pages: Number(m[2]), rate: Number(m[3]), text: (m[4] ?? '').trim() } : undefined;
  }

  get log(): string {
    return this.stderr;
  }

  stop(): void {
    this.off();
    this.proc.stdin.end();
    if (!this.exited) this.proc.kill();
  }
}
