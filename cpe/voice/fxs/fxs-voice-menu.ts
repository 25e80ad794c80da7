/**
 * Voice prompts on the FXS line and the voice menu session of state 'ivr' (user guide table 5):
 * `LinePrompts` plays prompts through the LinePort and ignores the `done` of a prompt that was
 * stopped; `VoiceMenuSession` holds the menu (cpe/ivr/ivr-menu.ts) and carries out its effects in
 * order, a prompt finishing before the next effect runs.
 */
import type { PromptId } from '../../media/prompts/prompt-text';
import type { IvrHost } from '../../ivr/ivr-host';
import { IvrMenu, type IvrEffect } from '../../ivr/ivr-menu';
import type { Logger } from '../../shared/logger';
import type { LinePort } from './ports';

export class LinePrompts {
  /** Counts prompt starts: a stopped prompt's late `done` is ignored. */
  private seq = 0;
  private playing = false;

  constructor(
    private readonly port: LinePort,
    private readonly guard: (fn: () => void) => void,
  ) {}

  /** Plays the prompts, then `done` (at once on a line that has none). */
  play(words: readonly PromptId[], done: () => void): void {
    this.stop();
    const play = this.port.playPrompt;
    if (!play) return done();
    const seq = ++this.seq;
    this.playing = true;
    play.call(this.port, words, () =>
      this.guard(() => {
        if (seq !== this.seq) return;
        this.playing = false;
        done();
      }),
    );
  }

  stop(): void {
    if (!this.playing) return;
    this.playing = false;
    this.seq++;
    this.port.stopPrompt?.();
  }
}

/** What a menu session needs of the line. */
export interface MenuLine {
  readonly prompts: LinePrompts;
  /** Still in state 'ivr' (effects left over after leaving are dropped). */
  inMenu(): boolean;
  dialTone(): void;
  /** Leaves the menu for a call to `target` (47, 86). */
  call(target: string): void;
}

export class VoiceMenuSession {
  readonly menu: IvrMenu;
  private queue: IvrEffect[] = [];

  constructor(
    private readonly host: IvrHost,
    private readonly line: MenuLine,
    log: Logger,
  ) {
    this.menu = new IvrMenu(host, log);
  }

  start(): void {
    this.run(this.menu.start());
  }

  /** A key: it cuts the prompt short (barge-in) unless a reboot or reset is under way. */
  digit(d: string): void {
    if (this.menu.state === 'done') return;
    this.line.prompts.stop();
    this.run(this.menu.digit(d));
  }

  timeout(): void {
    this.run(this.menu.timeout());
  }

  private run(effects: readonly IvrEffect[]): void {
    this.queue = [...effects];
    this.next();
  }

  private next(): void {
    const e = this.queue.shift();
    if (!e || !this.line.inMenu()) return;
    switch (e.kind) {
      case 'say':
        return this.line.prompts.play(e.words, () => this.next());
      case 'dialTone':
        this.line.dialTone();
        return this.next();
      case 'call':
        return this.line.call(e.target);
      case 'reboot':
        return this.host.reboot();
      case 'factoryReset':
        return this.host.factoryReset();
    }
  }
}
