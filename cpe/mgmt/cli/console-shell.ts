/**
 * An interactive console after login: prompt, one command a line (cli-executor.ts). The same for
 * Telnet and an SSH "shell" channel; the transport says whether line ends go out as CR LF and
 * carries the bytes. Synchronous and free of I/O.
 */
import { MAX_LINE, parseCliLine, type ParsedLine } from './cli-command';
import { executeCli } from './cli-executor';
import type { CliAction, CliPorts, CliResult, ConsoleLevel } from './cli-ports';
import type { EditorSink } from './line-editor';

export const PROMPT = 'GS> ';

export interface ShellTransport {
  write(bytes: Buffer): void;
  /** The session is over: `exitCode` for SSH's exit-status, then the action (reboot, reset) if any. */
  close(exitCode: number, action?: CliAction): void;
}

export interface ShellOptions {
  readonly level: ConsoleLevel;
  readonly ports: CliPorts;
  /** Line ends go out as CR LF (Telnet's NVT, an SSH pty); else LF. */
  readonly crlf: boolean;
  /** Prompts after each command (a terminal); off for input piped into an SSH shell without a pty. */
  readonly prompt: boolean;
  /** Each command run, for the log (no values: they may be passwords). */
  readonly onCommand?: (summary: CommandSummary) => void;
}

export interface CommandSummary {
  readonly command: string;
  readonly ids?: readonly number[];
  readonly exitCode: number;
}

/**
 * The console after login. It takes whole lines: the transport owns the LineEditor (one for the
 * whole Telnet connection, login included; one per SSH shell channel) and hands its events here.
 */
export class ConsoleShell {
  private lastExit = 0;
  private done = false;

  constructor(
    private readonly opts: ShellOptions,
    private readonly io: ShellTransport,
  ) {}

  start(banner: string): void {
    this.print(banner, true);
  }

  line(text: string): void {
    if (this.done) return;
    const { result: r, summary } = runLine(text, this.opts.level, this.opts.ports);
    if (summary) this.opts.onCommand?.(summary);
    this.lastExit = r.exitCode;
    if (r.action) {
      this.print(r.output, false);
      this.finish(0, r.action);
      return;
    }
    this.print(r.output, true);
  }

  interrupt(): void {
    if (!this.done) this.print('', true);
  }

  tooLong(): void {
    if (this.done) return;
    this.lastExit = 2;
    this.print(`line too long (at most ${MAX_LINE} characters)\n`, true);
  }

  /** End of input (^D, or the far end's EOF): the session ends with the last command's code. */
  eof(): void {
    this.finish(this.lastExit);
  }

  get closed(): boolean {
    return this.done;
  }

  private print(text: string, withPrompt: boolean): void {
    const out = withPrompt && this.opts.prompt ? text + PROMPT : text;
    if (out !== '') this.io.write(wire(out, this.opts.crlf));
  }

  private finish(exitCode: number, action?: CliAction): void {
    if (this.done) return;
    this.done = true;
    this.io.close(exitCode, action);
  }
}

/** A LineEditor sink feeding a shell; echo goes straight to the far end. */
export function shellSink(shell: ConsoleShell, echo: (b: Buffer) => void): EditorSink {
  return {
    echo,
    line: (t) => shell.line(t),
    tooLong: () => shell.tooLong(),
    interrupt: () => shell.interrupt(),
    eof: () => shell.eof(),
  };
}

/** Parses and runs one line; the summary (for the log) names the command and its P-numbers, never a value. */
export function runLine(line: string, level: ConsoleLevel, ports: CliPorts): { result: CliResult; summary?: CommandSummary } {
  const parsed: ParsedLine = parseCliLine(line);
  if (!parsed.ok) return { result: { output: `${parsed.error}\n`, exitCode: 2 }, summary: { command: 'invalid', exitCode: 2 } };
  const c = parsed.command;
  const result = executeCli(c, level, ports);
  if (c.kind === 'empty') return { result };
  const ids = c.kind === 'get' ? c.ids : c.kind === 'set' ? c.batch.map(([k]) => Number(k.slice(1))) : undefined;
  return { result, summary: { command: c.kind === 'reset' ? `reset ${c.type}` : c.kind, ...(ids ? { ids } : {}), exitCode: result.exitCode } };
}

/** Text for the far end: LF, or CR LF for a terminal. */
export function wire(text: string, crlf: boolean): Buffer {
  return Buffer.from(crlf ? text.replace(/\n/g, '\r\n') : text, 'utf8');
}
