/*
 * Test plan: the console's command language without sockets.
 * - tokenize / parseCliLine: table of lines → command or usage error (quotes, case, limits).
 * - executeCli over a real store behind the ports: a table of (level, line) → output, exit code,
 *   action; secrets masked; a refused set changes nothing and lists the store's messages;
 *   the user level reaches Basic Settings parameters only; the viewer level is read-only;
 *   reset refused when P88 locks it, with the store's words.
 * - status reads the status board through storeCliPorts (the web STATUS page's reading).
 * - LineEditor: CR/LF/CR NUL ends, erase, ^U, ^C, ^D, escape sequences, masks, line limit.
 * - ConsoleShell: prompt after each command, CR LF on a terminal, exit/reboot end the session.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_ITEMS, MAX_LINE, parseCliLine, tokenize, type CliCommand } from '../../cpe/mgmt/cli/cli-command';
import { executeCli, runCliLine } from '../../cpe/mgmt/cli/cli-executor';
import type { CliAction, CliPorts, CliStatus, ConsoleLevel } from '../../cpe/mgmt/cli/cli-ports';
import { ConsoleShell, PROMPT, shellSink } from '../../cpe/mgmt/cli/console-shell';
import { LineEditor, type EditorSink } from '../../cpe/mgmt/cli/line-editor';
import { storeCliPorts } from '../../cpe/mgmt/store-cli-ports';
import { ParamStore } from '../../cpe/params/store';
import { silentLogger } from '../../cpe/shared/logger';
import { StatusBoard } from '../../cpe/status';
import { FakeClock } from '../support/fake-clock';
import { FakeDevice, testIdentity } from '../web/harness';

const STATUS: CliStatus = {
  model: 'HT813',
  mac: '00:0B:82:A1:B2:C3',
  firmware: '1.0.7.1',
  uptime: '01:02:03',
  accounts: [
    { account: 1, port: 'FXS', registration: 'Registered' },
    { account: 2, port: 'FXO', registration: 'Not Registered (failed: 403 Forbidden)' },
  ],
  fxsHook: 'On Hook',
  fxoLine: 'Idle',
};

describe('console command parser', () => {
  const cases: Array<[string, CliCommand | string]> = [
    ['', { kind: 'empty' }],
    ['   \t ', { kind: 'empty' }],
    ['help', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['STATUS', { kind: 'status' }],
    ['get P47', { kind: 'get', ids: [47] }],
    ['get p47 48 P3', { kind: 'get', ids: [47, 48, 3] }],
    ['set P3=Name', { kind: 'set', batch: [['P3', 'Name']] }],
    ['set P3="Front Desk" p4=x', { kind: 'set', batch: [['P3', 'Front Desk'], ['P4', 'x']] }],
    ['set "P3=A \\"B\\"" P5=', { kind: 'set', batch: [['P3', 'A "B"'], ['P5', '']] }],
    ["set P3='a\\b c'", { kind: 'set', batch: [['P3', 'a\\b c']] }],
    ['set P3=a=b', { kind: 'set', batch: [['P3', 'a=b']] }],
    ['reboot', { kind: 'reboot' }],
    ['reset FULL', { kind: 'reset', type: 'full' }],
    ['reset isp', { kind: 'reset', type: 'isp' }],
    ['reset voip', { kind: 'reset', type: 'voip' }],
    ['exit', { kind: 'exit' }],
    ['quit', { kind: 'exit' }],
    ['logout', { kind: 'exit' }],
    // errors
    ['frobnicate', 'unknown command "frobnicate" (type help)'],
    ['get', 'usage: get Pnnn [Pnnn ...]'],
    ['get Px', 'get: not a P-value: "Px"'],
    ['set', 'usage: set Pnnn=value [Pnnn=value ...]'],
    ['set P3', 'set: expected Pnnn=value, got "P3"'],
    ['set =x', 'set: expected Pnnn=value, got "=x"'],
    ['set X3=1', 'set: not a P-value: "X3"'],
    ['set P3="open', 'unterminated double quote'],
    ['reset', 'usage: reset full|isp|voip'],
    ['reset all', 'usage: reset full|isp|voip'],
    ['status now', 'usage: status (no arguments)'],
    ['quit now', 'usage: quit (no arguments)'],
    ['\u0001bad', 'unknown command "?bad" (type help)'],
    [`get ${Array.from({ length: MAX_ITEMS + 1 }, (_, i) => `P${i + 1}`).join(' ')}`, `get: at most ${MAX_ITEMS} P-values at once`],
  ];
  for (const [line, want] of cases) {
    it(`${JSON.stringify(line.slice(0, 40))} → ${typeof want === 'string' ? want : want.kind}`, () => {
      const r = parseCliLine(line);
      if (typeof want === 'string') assert.deepEqual(r, { ok: false, error: want });
      else assert.deepEqual(r, { ok: true, command: want });
    });
  }

  it('tokenizes quotes inside a word and keeps empty quoted words', () => {
    assert.deepEqual(tokenize('a "" b'), { ok: true, words: ['a', '', 'b'] });
    assert.deepEqual(tokenize("x'y z'w"), { ok: true, words: ['xy zw'] });
  });
});

describe('console command executor', () => {
  let dir: string;
  let store: ParamStore;
  let ports: CliPorts;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-cli-exec-'));
    store = ParamStore.open(dir, { clock: new FakeClock(), log: silentLogger, durability: 'normal' });
    store.applyOrThrow({ P47: 'sip.example.com', P3: 'Desk', P146: 'desk-ata' }, 'cli');
    ports = {
      params: {
        def: (id) => store.def(id),
        value: (id) => store.get(id),
        apply: (batch, level) => store.apply(batch, 'cli', { level }),
        resetRefusal: (type) => store.resetRefusal(type),
      },
      status: () => STATUS,
    };
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // level, line, output (string: exact; RegExp: match), exit code, action
  const table: Array<[ConsoleLevel, string, string | RegExp, 0 | 1 | 2, CliAction?]> = [
    ['admin', 'get P47 P3', 'P47=sip.example.com\nP3=Desk\n', 0],
    ['admin', 'get P2 P34', 'P2=********\nP34=\n', 0], // P34 (SIP password) empty: shown empty
    ['admin', 'get P99999', 'P99999: no such parameter\n', 1],
    ['admin', 'get P47 P99999', 'P99999: no such parameter\n', 1],
    ['admin', 'set P3=Lobby', '1 changed\n', 0],
    ['admin', 'set P3=Desk', 'nothing changed\n', 0],
    ['admin', 'set P901=8080', '1 changed (takes effect after a reboot)\n', 0],
    ['admin', 'set P3=Lobby P28116=99', /^batch rejected, nothing changed\n {2}P28116="99": must be an integer from 1 to 60\n$/, 1],
    ['admin', 'set P68=1.2.3.4', /^batch rejected, nothing changed\n {2}P68=.*read-only/, 1],
    ['admin', 'reboot', 'Rebooting...\n', 0, { kind: 'reboot' }],
    ['admin', 'reset voip', 'Factory reset (voip): the unit resets and reboots...\n', 0, { kind: 'reset', type: 'voip' }],
    ['admin', 'exit', '', 0, { kind: 'exit' }],
    ['admin', 'bogus', 'unknown command "bogus" (type help)\n', 2],
    ['admin', 'status', /^Model: {14}HT813\nMAC: {16}00:0B:82:A1:B2:C3\nFirmware: {11}1\.0\.7\.1\nUptime: {13}01:02:03\nAccount 1 \(FXS\): {4}Registered\nAccount 2 \(FXO\): {4}Not Registered \(failed: 403 Forbidden\)\nFXS hook: {11}On Hook\nFXO line: {11}Idle\n$/, 0],
    ['admin', 'help', /reboot.*\n.*reset full\|isp\|voip/, 0],
    ['user', 'get P146 P196', 'P146=desk-ata\nP196=********\n', 0],
    ['user', 'get P146 P47 P3', 'P47: the user level may not read sip1.primaryServer\nP3: the user level may not read sip1.displayName\n', 1],
    ['user', 'set P146=lobby-ata', '1 changed (takes effect after a reboot)\n', 0],
    ['user', 'set P146=lobby-ata P47=evil.example.com', /^batch rejected, nothing changed\n {2}P47="evil\.example\.com": the user level may not change sip1\.primaryServer\n$/, 1],
    ['user', 'reboot', 'reboot: not allowed at the user level\n', 1],
    ['user', 'reset full', 'reset: not allowed at the user level\n', 1],
    ['user', 'help', /Basic Settings parameters only/, 0],
    ['user', 'status', /^Model: {14}HT813\n/, 0],
    ['viewer', 'get P47 P2', 'P47=sip.example.com\nP2=********\n', 0],
    ['viewer', 'set P3=Lobby', 'set: not allowed at the viewer level\n', 1],
    ['viewer', 'reboot', 'reboot: not allowed at the viewer level\n', 1],
    ['viewer', 'help', /read-only/, 0],
    ['viewer', 'exit', '', 0, { kind: 'exit' }],
  ];
  for (const [level, line, out, code, action] of table) {
    it(`${level}: ${line} → exit ${code}${action ? `, ${action.kind}` : ''}`, () => {
      const r = runCliLine(line, level, ports);
      if (typeof out === 'string') assert.equal(r.output, out);
      else assert.match(r.output, out);
      assert.equal(r.exitCode, code);
      assert.deepEqual(r.action, action);
    });
  }

  it('a refused batch leaves every value as it was', () => {
    const before = store.get(3);
    runCliLine('set P3=Changed P47=x.example.com P28116=0', 'admin', ports);
    assert.equal(store.get(3), before);
    assert.equal(store.get(47), 'sip.example.com');
    assert.equal(store.audit(10).filter((a) => a.id === 3).length, 1, 'only the setup write is audited');
  });

  it('writes with source cli, and audits secrets masked', () => {
    const events: string[] = [];
    store.subscribe((e) => events.push(e.source));
    assert.equal(runCliLine('set P2=NewAdmin9', 'admin', ports).exitCode, 0);
    assert.deepEqual(events, ['cli']);
    assert.equal(store.audit(1)[0]!.new, '********');
  });

  it('reset is refused while P88 locks it, in the store’s words, and nothing happens', () => {
    store.applyOrThrow({ P88: '1' }, 'cli');
    const r = runCliLine('reset full', 'admin', ports);
    assert.equal(r.output, 'factory reset (full) refused: locked by P88 (Lock keypad update = 1)\n');
    assert.equal(r.exitCode, 1);
    assert.equal(r.action, undefined);
    store.applyOrThrow({ P88: '2' }, 'cli');
    assert.deepEqual(runCliLine('reset isp', 'admin', ports).action, { kind: 'reset', type: 'isp' });
    assert.equal(runCliLine('reset voip', 'admin', ports).exitCode, 1);
  });

  it('an empty line does nothing', () => {
    assert.deepEqual(executeCli({ kind: 'empty' }, 'viewer', ports), { output: '', exitCode: 0 });
  });

  it('status through storeCliPorts reads the status board keys services provide', () => {
    const status = new StatusBoard();
    const clock = new FakeClock();
    const device = new FakeDevice(() => store, clock.now() - 3_723_000);
    status.provide('hw.fxs.hook', () => 'offHook');
    status.provide('hw.fxo.state', () => 'ringing');
    const p = storeCliPorts({ identity: testIdentity(), store, clock, network: { address: '127.0.0.1', dhcpOptions: new Map() }, device, status });
    assert.deepEqual(p.status(), {
      model: 'HT813',
      mac: '00:0B:82:A1:B2:C3',
      firmware: '1.0.1.0',
      uptime: '01:02:03',
      accounts: [
        { account: 1, port: 'FXS', registration: '—' },
        { account: 2, port: 'FXO', registration: '—' },
      ],
      fxsHook: 'Off Hook',
      fxoLine: 'Ringing',
    });
    assert.equal(p.params.apply([['P146', 'via-ports']], 'user').ok, true);
    assert.equal(store.get(146), 'via-ports');
    assert.equal(p.params.apply([['P3', 'Via Ports']], 'user').ok, false);
  });
});

/** Records what a LineEditor emits, echo as text. */
class Recorder implements EditorSink {
  readonly events: string[] = [];
  private readonly echoes: Buffer[] = [];
  get echoed(): string {
    return Buffer.concat(this.echoes).toString('utf8');
  }
  echo(b: Buffer): void {
    this.echoes.push(b);
  }
  line(t: string): void {
    this.events.push(`line:${t}`);
  }
  tooLong(): void {
    this.events.push('tooLong');
  }
  interrupt(): void {
    this.events.push('interrupt');
  }
  eof(): void {
    this.events.push('eof');
  }
}

describe('console line editor', () => {
  const cases: Array<[string, string, 'on' | 'mask' | 'off', string[], string]> = [
    // name, input, mode, events, echo
    ['CR ends a line, LF after it is part of the end', 'ab\r\ncd\r\n', 'on', ['line:ab', 'line:cd'], 'ab\r\ncd\r\n'],
    ['CR NUL (RFC 854) ends a line', 'ab\r\0cd\r\0', 'on', ['line:ab', 'line:cd'], 'ab\r\ncd\r\n'],
    ['LF alone ends a line', 'ab\ncd\n', 'off', ['line:ab', 'line:cd'], ''],
    ['an empty line is a line', '\r\n\n', 'off', ['line:', 'line:'], ''],
    ['DEL and BS erase', 'abc\x7f\x08x\r', 'on', ['line:ax'], 'abc\b \b\b \bx\r\n'],
    ['erase at the start does nothing', '\x7fa\r', 'on', ['line:a'], 'a\r\n'],
    ['^U erases the line', 'abc\x15d\r', 'on', ['line:d'], 'abc\b \b\b \b\b \bd\r\n'],
    ['^C cancels the line', 'abc\x03d\r', 'on', ['interrupt', 'line:d'], 'abc^C\r\nd\r\n'],
    ['^D on an empty line ends the input', '\x04', 'on', ['eof'], ''],
    ['^D inside a line is ignored', 'a\x04b\r', 'on', ['line:ab'], 'ab\r\n'],
    ['arrow keys and other escapes are dropped', 'a\x1b[A\x1b[1;5Cb\x1bOPc\r', 'on', ['line:abc'], 'abc\r\n'],
    ['other controls are dropped, tab is a blank', 'a\x01\tb\x07\r', 'on', ['line:a b'], 'a b\r\n'],
    ['mask echoes only the line end', 'secret\r', 'mask', ['line:secret'], '\r\n'],
    ['off echoes nothing', 'secret\r\n', 'off', ['line:secret'], ''],
    ['UTF-8 is kept, and erased a character at a time', 'é\x7fü\r', 'on', ['line:ü'], 'é\b \bü\r\n'],
  ];
  for (const [name, input, mode, events, echo] of cases) {
    it(name, () => {
      const r = new Recorder();
      new LineEditor(r, mode).push(Buffer.from(input, 'utf8'));
      assert.deepEqual(r.events, events);
      assert.equal(r.echoed, echo);
    });
  }

  it('a sequence split across reads is the same', () => {
    const r = new Recorder();
    const e = new LineEditor(r, 'on');
    for (const b of Buffer.from('a\x1b[Ab\r\nc\r')) e.push(Buffer.from([b]));
    assert.deepEqual(r.events, ['line:ab', 'line:c']);
  });

  it('a line over the limit is dropped whole and reported once', () => {
    const r = new Recorder();
    const e = new LineEditor(r, 'on', 8);
    e.push(Buffer.from('0123456789abc\rok\r'));
    assert.deepEqual(r.events, ['tooLong', 'line:ok']);
    assert.equal(r.echoed, '01234567\x07\r\nok\r\n');
    assert.equal(MAX_LINE, 4096);
  });

  it('a mode change made in a callback applies to the next byte', () => {
    const r = new Recorder();
    const e = new LineEditor({ ...r, echo: (b) => r.echo(b), line: (t) => ((e.mode = 'mask'), r.line(t)), tooLong: () => r.tooLong(), interrupt: () => r.interrupt(), eof: () => r.eof() }, 'on');
    e.push(Buffer.from('admin\rpw\r'));
    assert.equal(r.echoed, 'admin\r\n\r\n');
  });

  it('finish runs an unterminated last line, then ends; stop drops the rest', () => {
    const r = new Recorder();
    const e = new LineEditor(r, 'off');
    e.push(Buffer.from('get P3'));
    e.finish();
    assert.deepEqual(r.events, ['line:get P3', 'eof']);
    const r2 = new Recorder();
    const e2 = new LineEditor({ ...r2, echo: () => undefined, line: (t) => (r2.line(t), e2.stop()), tooLong: () => undefined, interrupt: () => undefined, eof: () => r2.eof() }, 'off');
    e2.push(Buffer.from('exit\nstatus\n'));
    e2.finish();
    assert.deepEqual(r2.events, ['line:exit']);
  });
});

describe('console shell', () => {
  const ports: CliPorts = {
    params: {
      def: () => undefined,
      value: () => '',
      apply: () => ({ ok: true, errors: [], changes: [], rebootRequired: false, skipped: [] }),
      resetRefusal: () => undefined,
    },
    status: () => STATUS,
  };

  function run(input: string, opts: { crlf: boolean; prompt: boolean; level?: ConsoleLevel }) {
    let out = '';
    const closes: Array<[number, CliAction | undefined]> = [];
    const commands: string[] = [];
    const shell = new ConsoleShell(
      { level: opts.level ?? 'admin', ports, crlf: opts.crlf, prompt: opts.prompt, onCommand: (c) => commands.push(`${c.command}:${c.exitCode}`) },
      { write: (b) => (out += b.toString()), close: (code, action) => closes.push([code, action]) },
    );
    const editor = new LineEditor(shellSink(shell, (b) => (out += b.toString())), opts.prompt ? 'on' : 'off');
    shell.start('Hello\n');
    editor.push(Buffer.from(input));
    return { out, closes, commands, shell, editor };
  }

  it('a terminal gets a prompt after each command and CR LF line ends', () => {
    const r = run('get P1\rstatus\r', { crlf: true, prompt: true });
    assert.ok(r.out.startsWith(`Hello\r\n${PROMPT}get P1\r\nP1: no such parameter\r\n${PROMPT}status\r\nModel:`), r.out);
    assert.ok(r.out.endsWith(`FXO line:           Idle\r\n${PROMPT}`));
    assert.deepEqual(r.commands, ['get:1', 'status:0']);
  });

  it('exit ends the session with code 0 and later input is ignored', () => {
    const r = run('exit\rstatus\r', { crlf: true, prompt: true });
    assert.deepEqual(r.closes, [[0, { kind: 'exit' }]]);
    assert.ok(!r.out.includes('Model:'));
    assert.equal(r.shell.closed, true);
  });

  it('reboot prints its line, ends the session and hands the action over', () => {
    const r = run('reboot\n', { crlf: false, prompt: false });
    assert.equal(r.out, 'Hello\nRebooting...\n');
    assert.deepEqual(r.closes, [[0, { kind: 'reboot' }]]);
  });

  it('end of input ends with the last command’s exit code; no prompt without a terminal', () => {
    const r = run('bogus\n', { crlf: false, prompt: false });
    r.editor.finish();
    assert.equal(r.out, 'Hello\nunknown command "bogus" (type help)\n');
    assert.deepEqual(r.closes, [[2, undefined]]);
    assert.deepEqual(r.commands, ['invalid:2']);
  });
});
