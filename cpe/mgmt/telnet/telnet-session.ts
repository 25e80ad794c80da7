/**
 * One Telnet connection: option negotiation (telnet-options.ts), a login (user name `admin`,
 * `user` or `viewer`, then that level's password, unechoed), then the console. At most
 * MAX_LOGIN_TRIES per connection; failures also count towards the address's lockout. The login
 * must finish within the grace time; a logged-in session closes after the idle timeout.
 */
import { ConsoleShell, wire } from '../cli/console-shell';
import type { CliAction } from '../cli/cli-ports';
import { LineEditor, type EchoMode } from '../cli/line-editor';
import type { Conn, ConnSession, SessionDeps } from '../conn';
import { Deadline } from '../deadline';
import { AYT, EC, EL, IP, TelnetDecoder, encodeNegotiation, escapeData, type TelnetEvent } from './telnet-codec';
import { TelnetOptions } from './telnet-options';

export type TelnetState = 'login' | 'password' | 'shell' | 'closed';

const ALLOWED: Readonly<Record<TelnetState, readonly TelnetState[]>> = {
  login: ['password', 'closed'],
  password: ['login', 'shell', 'closed'],
  shell: ['closed'],
  closed: [],
};

/** Wrong logins one connection may make before it is closed. */
export const MAX_LOGIN_TRIES = 3;

const KNOWN_USERS: ReadonlySet<string> = new Set(['admin', 'user', 'viewer']);

export class TelnetSession implements ConnSession {
  private st: TelnetState = 'login';
  private readonly decoder = new TelnetDecoder();
  private readonly options = new TelnetOptions();
  private readonly editor: LineEditor;
  private readonly deadline: Deadline;
  private shell: ConsoleShell | undefined;
  private userName = '';
  private tries = 0;

  constructor(
    private readonly conn: Conn,
    private readonly deps: SessionDeps,
  ) {
    this.editor = new LineEditor(
      {
        echo: (b) => this.send(b),
        line: (t) => this.onLine(t),
        tooLong: () => (this.shell ? this.shell.tooLong() : this.prompt('line too long\n')),
        interrupt: () => (this.shell ? this.shell.interrupt() : this.restartLogin('')),
        eof: () => (this.shell ? this.shell.eof() : this.close('logout')),
      },
      'on',
    );
    this.deadline = new Deadline(deps.clock, () => this.expire());
  }

  get state(): TelnetState {
    return this.st;
  }

  get authenticated(): boolean {
    return this.st === 'shell';
  }

  start(): void {
    const locked = this.deps.login.lockedFor(this.conn.remote);
    if (locked > 0) {
      this.deps.log.warn({}, 'telnet login refused: client locked out');
      this.send(wire(`${lockedText(locked)}\n`, true));
      return this.close('locked out');
    }
    for (const r of this.options.offer()) this.conn.write(encodeNegotiation(r.verb, r.option));
    this.deadline.arm(() => this.deps.loginGraceMs);
    this.send(wire(`${this.deps.banner}\n\n`, true));
    this.prompt('');
  }

  receive(bytes: Buffer): void {
    if (this.st === 'closed') return;
    let events: TelnetEvent[];
    try {
      events = this.decoder.push(bytes);
    } catch (e) {
      this.deps.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'telnet: bad input, connection closed');
      return this.close('bad input');
    }
    if (this.st === 'shell') this.deadline.touch();
    for (const ev of events) {
      if (this.state === 'closed') return; // an event may have ended the session
      this.event(ev);
    }
  }

  closed(): void {
    if (this.st === 'closed') return;
    this.finish();
    this.deps.log.info({}, 'telnet: connection closed by the client');
  }

  shutdown(reason: string): void {
    if (this.st === 'closed') return;
    this.send(wire(`\n${reason}\n`, true));
    this.close(reason);
  }

  private event(ev: TelnetEvent): void {
    switch (ev.kind) {
      case 'data':
        return this.editor.push(ev.bytes);
      case 'negotiate': {
        const reply = this.options.receive(ev.verb, ev.option);
        if (reply) this.conn.write(encodeNegotiation(reply.verb, reply.option));
        this.editor.mode = this.echoMode();
        return;
      }
      case 'command':
        // RFC 854 NVT controls mapped onto the line editor's keys
        if (ev.code === IP) this.editor.push(Buffer.from([0x03]));
        else if (ev.code === EC) this.editor.push(Buffer.from([0x7f]));
        else if (ev.code === EL) this.editor.push(Buffer.from([0x15]));
        else if (ev.code === AYT) this.send(wire('\n[yes]\n', true));
        return;
    }
  }

  private onLine(text: string): void {
    if (this.st === 'shell') return this.shell?.line(text);
    if (this.st === 'login') {
      const name = text.trim();
      if (name === '') return this.prompt('');
      this.userName = name;
      this.transition('password');
      this.send(wire('Password: ', true));
      return;
    }
    this.checkPassword(text);
  }

  private checkPassword(password: string): void {
    const user = KNOWN_USERS.has(this.userName.toLowerCase()) ? this.userName.toLowerCase() : '(other)'; // a password typed as the name is never logged
    const r = this.deps.login.check(this.userName, password, this.conn.remote);
    if (r.ok) {
      this.transition('shell');
      this.deps.log.info({ user, level: r.level }, 'telnet login');
      this.deadline.arm(() => this.deps.idleMs());
      const shell = new ConsoleShell(
        { level: r.level, ports: this.deps.ports, crlf: true, prompt: true, onCommand: (c) => this.deps.log.info({ ...c }, 'console command') },
        { write: (b) => this.send(b), close: (code, action) => this.shellDone(code, action) },
      );
      this.shell = shell;
      shell.start(`\nLogged in at the ${r.level} level. Type help for the commands.\n`);
      return;
    }
    this.deps.log.warn({ user, result: r.why, locked: r.lockedForMs > 0 }, 'telnet login failed');
    if (r.lockedForMs > 0) {
      this.send(wire(`\n${lockedText(r.lockedForMs)}\n`, true));
      return this.close('locked out');
    }
    this.tries++;
    if (this.tries >= MAX_LOGIN_TRIES) {
      this.send(wire('\nLogin incorrect\n', true));
      return this.close('too many wrong logins');
    }
    this.restartLogin('\nLogin incorrect\n\n');
  }

  private restartLogin(text: string): void {
    if (this.st === 'password') this.transition('login');
    this.prompt(text);
  }

  private prompt(text: string): void {
    this.send(wire(`${text}Login: `, true));
  }

  private shellDone(code: number, action: CliAction | undefined): void {
    this.deps.log.info({ exitCode: code, ...(action && action.kind !== 'exit' ? { then: action.kind } : {}) }, 'telnet logout');
    this.send(wire('Bye.\n', true));
    this.close('logout');
    if (action && action.kind !== 'exit') this.deps.perform(action);
  }

  private expire(): void {
    if (this.st === 'closed') return;
    const text = this.st === 'shell' ? 'Idle timeout: session closed.' : 'Login timed out.';
    this.deps.log.info({ state: this.st }, `telnet: ${text}`);
    this.send(wire(`\n${text}\n`, true));
    this.close('timeout');
  }

  private echoMode(): EchoMode {
    if (!this.options.echoing) return 'off';
    return this.st === 'password' ? 'mask' : 'on';
  }

  private transition(to: TelnetState): void {
    if (!ALLOWED[this.st].includes(to)) throw new Error(`telnet session: ${this.st} → ${to} not allowed`);
    this.st = to;
    this.editor.mode = this.echoMode();
  }

  private send(bytes: Buffer): void {
    if (this.st !== 'closed') this.conn.write(escapeData(bytes));
  }

  private close(why: string): void {
    if (this.st === 'closed') return;
    this.deps.log.debug({ why }, 'telnet: closing');
    this.finish();
    this.conn.end();
  }

  private finish(): void {
    this.transition('closed');
    this.editor.stop();
    this.deadline.stop();
  }
}

function lockedText(ms: number): string {
  return `Too many failed logins: locked out for ${Math.ceil(ms / 60_000)} more minute(s).`;
}
