/**
 * The voice menu (user guide "Understanding HT813 Interactive Voice Prompt Response Menu", table 5
 * and its five tips) as a state machine over the phone's digits: two digits pick an option, `*`
 * steps to the next option, `#` returns to the main menu, `9` toggles or confirms, addresses are
 * 12 digits (three per octet). It answers each input with effects for the FXS line to carry out
 * in order (say prompts, dial tone, place a call, reboot, reset); settings change only through
 * IvrHost.apply, one batch per confirmed entry. Pure: no clock, no audio, no I/O.
 *
 * States: main (waiting for an option number) → option (announced; toggles here) → address /
 * directIp / resetEntry (collecting digits) → done (a call, a reboot or a reset is under way).
 */
import type { Logger } from '../shared/logger';
import type { PromptId } from '../media/prompts/prompt-text';
import { decodeDirectIp } from '../voice/features/star-codes';
import type { IvrHost } from './ivr-host';
import { IVR_OPTIONS, type IvrOption } from './ivr-options';
import { macKeys } from './mac-keys';

export type IvrState = 'main' | 'option' | 'address' | 'directIp' | 'resetEntry' | 'done';

const ALLOWED: Readonly<Record<IvrState, readonly IvrState[]>> = {
  main: ['main', 'option', 'directIp', 'done'],
  option: ['main', 'option', 'address', 'directIp', 'resetEntry', 'done'],
  address: ['main', 'option'],
  directIp: ['main', 'done'],
  resetEntry: ['main', 'done'],
  done: [],
};

export type IvrEffect =
  | { readonly kind: 'say'; readonly words: readonly PromptId[] }
  | { readonly kind: 'dialTone' }
  /** Leave the menu and call this target (a sip: URI). */
  | { readonly kind: 'call'; readonly target: string }
  | { readonly kind: 'reboot' }
  | { readonly kind: 'factoryReset' };

const say = (...words: PromptId[]): IvrEffect => ({ kind: 'say', words });

/** Digits of an IPv4 address entry: three per octet (tip 3). */
const ADDRESS_DIGITS = 12;

export class IvrMenu {
  state: IvrState = 'main';
  private option: IvrOption | undefined;
  private entry = '';

  constructor(
    private readonly host: IvrHost,
    private readonly log: Logger,
  ) {}

  /** The first prompt, on entering the menu. */
  start(): IvrEffect[] {
    return [say('enterMenuOption')];
  }

  /** True while digits are being collected: the line arms its no-key-entry timer (P85) after each. */
  get collecting(): boolean {
    return this.entry !== '';
  }

  digit(d: string): IvrEffect[] {
    switch (this.state) {
      case 'main':
        return this.onMain(d);
      case 'option':
        return this.onOption(d);
      case 'address':
        return this.onAddress(d);
      case 'directIp':
        return this.onDirectIp(d);
      case 'resetEntry':
        return this.onResetEntry(d);
      case 'done':
        return [];
    }
  }

  /** The no-key-entry timeout: a direct IP address is complete; any other unfinished entry is invalid. */
  timeout(): IvrEffect[] {
    if (this.state === 'directIp') return this.directIpCall();
    if (this.state === 'done' || !this.collecting) return [];
    return this.invalid('timeout');
  }

  // ---- per state ----

  private onMain(d: string): IvrEffect[] {
    if (d === '#') return this.toMain();
    if (d === '*') return this.enter(IVR_OPTIONS[0] as IvrOption);
    this.entry += d;
    if (this.entry.length < 2) return [];
    const option = IVR_OPTIONS.find((o) => o.id === this.entry);
    return option ? this.enter(option) : this.invalid(`no option ${this.entry}`);
  }

  private onOption(d: string): IvrEffect[] {
    const o = this.option as IvrOption;
    if (d === '#') return this.toMain();
    if (d === '*') return this.enter(IVR_OPTIONS[(IVR_OPTIONS.indexOf(o) + 1) % IVR_OPTIONS.length] as IvrOption);
    if (o.special === 'reset') {
      if (d === '9') {
        this.move('done');
        this.log.info('ivr: reboot (option 99)');
        return [say('rebooting'), { kind: 'reboot' }];
      }
      this.move('resetEntry');
      return this.onResetEntry(d);
    }
    if (o.toggle && d === '9') return this.commit(o.toggle(this.host), o);
    if (o.address && /^[0-9]$/.test(d)) {
      this.move('address');
      return this.onAddress(d);
    }
    return this.invalid(`key ${d} in option ${o.id}`);
  }

  private onAddress(d: string): IvrEffect[] {
    const o = this.option as IvrOption;
    if (d === '#') return this.toMain();
    if (!/^[0-9]$/.test(d)) return this.invalid(`key ${d} in an address`);
    this.entry += d;
    if (this.entry.length < ADDRESS_DIGITS) return [];
    const parts = (this.entry.match(/\d{3}/g) as string[]).map(Number);
    if (parts.some((n) => n > 255)) return this.invalid('an octet above 255');
    const r = o.address?.(this.host, parts.join('.'));
    if (r === undefined) return this.invalid('no address here');
    if (typeof r === 'string') return this.refuse([r], `option ${o.id} takes no address now`);
    return this.commit(r, o);
  }

  private onDirectIp(d: string): IvrEffect[] {
    if (d === '#') return this.directIpCall();
    this.entry += d;
    return [];
  }

  private onResetEntry(d: string): IvrEffect[] {
    if (!/^[0-9]$/.test(d)) return this.invalid(`key ${d} in a MAC address`);
    this.entry += d;
    const wanted = [macKeys(this.host.mac), macKeys(this.host.lanMac)];
    if (wanted.includes(this.entry)) {
      const refused = this.host.factoryResetRefusal();
      if (refused) return this.refuse(['locked'], refused);
      this.move('done');
      this.log.warn('ivr: factory reset (option 99, MAC entered)');
      return [say('factoryReset'), { kind: 'factoryReset' }];
    }
    // tip 4: a wrong key is reported as soon as it is seen
    if (!wanted.some((w) => w.startsWith(this.entry))) return this.invalid('not this unit\'s MAC address');
    return [];
  }

  // ---- steps ----

  /** Announces an option; some act at once (47 dials, 86 calls the voice mail). */
  private enter(o: IvrOption): IvrEffect[] {
    this.option = o;
    this.entry = '';
    const words = o.announce(this.host);
    if (o.special === 'directIp') {
      if (this.host.get(277) === '1') return this.refuse([...words, 'disabled'], 'direct IP calls are disabled (P277)');
      this.move('directIp');
      return [say(...words), { kind: 'dialTone' }];
    }
    if (o.special === 'voicemail') {
      const target = this.host.voicemail();
      if (!target) return this.refuse([...words, 'notAvailable'], 'no voice mail address known (no Message-Account yet)');
      this.move('done');
      return [say(...words), { kind: 'call', target }];
    }
    this.move('option');
    return [say(...words)];
  }

  /** One batch through the store; the option's new value is announced, or why it was refused. */
  private commit(batch: Record<string, string>, o: IvrOption): IvrEffect[] {
    const refused = this.host.apply(batch);
    this.entry = '';
    if (refused !== undefined) return this.refuse([this.host.get(88) !== '0' ? 'locked' : 'invalidEntry'], refused);
    this.log.info({ option: o.id, batch }, 'ivr: setting changed');
    this.move('option');
    return [say(...o.announce(this.host))];
  }

  private directIpCall(): IvrEffect[] {
    const t = decodeDirectIp(this.entry);
    if (!t) return this.invalid(`not an address: ${this.entry}`);
    this.move('done');
    return [{ kind: 'call', target: `sip:${t.host}:${t.port}` }];
  }

  private toMain(): IvrEffect[] {
    this.move('main');
    this.entry = '';
    this.option = undefined;
    return [say('enterMenuOption')];
  }

  private invalid(why: string): IvrEffect[] {
    return this.refuse(['invalidEntry'], why);
  }

  /** Says why, then back to the main menu ("Invalid Entry: automatically returns to main menu"). */
  private refuse(words: PromptId[], why: string): IvrEffect[] {
    this.log.info({ option: this.option?.id, why }, 'ivr: entry refused');
    this.move('main');
    this.entry = '';
    this.option = undefined;
    return [say(...words, 'enterMenuOption')];
  }

  private move(to: IvrState): void {
    if (to !== this.state && !ALLOWED[this.state].includes(to)) throw new Error(`ivr: ${this.state} → ${to} not allowed`);
    this.state = to;
  }
}
