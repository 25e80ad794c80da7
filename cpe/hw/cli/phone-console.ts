/**
 * The interpreter behind `ht813 phone`: one line in, the simulated phone (on the unit's FXS jack)
 * or the simulated PSTN line (on its FXO jack) acts, and what happens on the line is reported as
 * text lines. Separate from the terminal I/O so tests drive it with a FakeClock.
 */
import type { Cancel, Clock } from '../../shared/clock';
import type { HwService } from '../service';
import { SimulatedPhone } from '../sim/simulated-phone';
import { CentralOffice } from '../sim/central-office';
import type { CallerId } from '../types';

export const PHONE_HELP = [
  'off | offhook            lift the handset',
  'on | hangup              hang up',
  'dial DIGITS              dial by DTMF (0-9 * # A-D)',
  'pulse DIGITS             dial by pulses (set P20521=1 for the unit to decode them)',
  'flash [MS]               hook flash (default 500 ms)',
  'ring [NUMBER [NAME]]     ring the phone from the FXS port, with caller ID per P853',
  'mwi on|off               visual message waiting',
  'pstn call NUMBER [NAME]  a PSTN call arrives on the FXO line (with caller ID)',
  'pstn hangup              the PSTN caller / far end hangs up',
  'status                   hook, what the phone hears, caller ID, LEDs, lifeline, FXO state',
  'help | quit',
];

export function formatCallerId(cid: CallerId | undefined): string {
  if (!cid) return '(none)';
  const num = cid.number ?? (cid.numberAbsent === 'P' ? 'Private' : 'Unavailable');
  const name = cid.name ?? (cid.nameAbsent === 'P' ? 'Private' : cid.nameAbsent === 'O' ? 'Unavailable' : '');
  const dt = cid.dateTime ? ` ${cid.dateTime.slice(0, 2)}/${cid.dateTime.slice(2, 4)} ${cid.dateTime.slice(4, 6)}:${cid.dateTime.slice(6, 8)}` : '';
  return `${num}${name ? ` "${name}"` : ''}${dt}`;
}

export class PhoneConsole {
  readonly phone: SimulatedPhone;
  readonly co: CentralOffice;
  private readonly stops: Cancel[] = [];
  private lastHeard = 'silence';
  private shownCids = 0;
  private wasRinging = false;

  constructor(
    private readonly hw: HwService,
    clock: Clock,
    private readonly out: (line: string) => void,
  ) {
    this.phone = new SimulatedPhone({ clock });
    this.co = new CentralOffice({ clock });
    hw.plugPhone(this.phone);
    hw.plugLine(this.co);
    this.stops.push(
      hw.fxs.on((e) => {
        if (e.type === 'digit') this.out(`unit: FXS digit ${e.digit} (${e.method})`);
        else if (e.type === 'lifeline') this.out(`unit: lifeline ${e.engaged ? 'engaged (phone wired to the PSTN line)' : 'released'}`);
        else this.out(`unit: FXS ${e.type}`);
      }),
      hw.fxo.on((e) => {
        if (e.type === 'ring') this.out(`unit: FXO ring ${e.count}`);
        else if (e.type === 'callerId') this.out(`unit: FXO caller ID ${formatCallerId(e.callerId)}`);
        else if (e.type === 'disconnect') this.out(`unit: FXO far end gone (${e.cause})`);
        else if (e.type === 'state') this.out(`unit: FXO ${e.state}`);
        else this.out(`unit: FXO ${e.type}`);
      }),
      this.phone.onChange(() => this.watch()),
    );
  }

  /** Called on every frame the phone hears and after each command: reports changes. */
  watch(): void {
    const h = this.phone.hearing;
    if (h !== this.lastHeard) {
      this.lastHeard = h;
      this.out(`phone hears: ${h}`);
    }
    if (this.phone.callerIds.length > this.shownCids) {
      this.shownCids = this.phone.callerIds.length;
      this.out(`phone display: ${formatCallerId(this.phone.callerId)}`);
    }
    if (this.phone.ringing !== this.wasRinging) {
      this.wasRinging = this.phone.ringing;
      if (this.wasRinging) this.out(`phone: RING (${this.phone.rings})`);
    }
  }

  /** Runs one command line; returns false for quit. */
  async handle(line: string): Promise<boolean> {
    const [cmd, ...rest] = line.trim().split(/\s+/);
    const arg = rest[0];
    switch ((cmd ?? '').toLowerCase()) {
      case '':
        break;
      case 'off':
      case 'offhook':
        this.phone.offHook();
        break;
      case 'on':
      case 'hangup':
        this.phone.onHook();
        break;
      case 'dial':
      case 'pulse':
        if (!arg || !/^[0-9*#A-Da-d]+$/.test(arg) || (cmd === 'pulse' && !/^\d+$/.test(arg))) {
          this.out(`usage: ${cmd} DIGITS`);
          break;
        }
        if (!this.phone.isOffHook) {
          this.out('the phone is on-hook: "off" first');
          break;
        }
        await this.phone.dial(arg.toUpperCase(), { method: cmd === 'pulse' ? 'pulse' : 'dtmf' });
        break;
      case 'flash':
        if (!this.phone.isOffHook) {
          this.out('the phone is on-hook');
          break;
        }
        await this.phone.flash(arg ? Number(arg) : 500);
        break;
      case 'ring':
        this.hw.fxs.ring(arg ? { callerId: { number: arg, ...(rest.length > 1 ? { name: rest.slice(1).join(' ') } : {}) } } : {});
        break;
      case 'mwi':
        this.hw.fxs.setMessageWaiting(arg === 'on');
        break;
      case 'pstn':
        if (arg === 'call' && rest[1]) {
          const ok = this.co.call({ number: rest[1], ...(rest.length > 2 ? { name: rest.slice(2).join(' ') } : {}) });
          if (!ok) this.out('the PSTN line is busy');
        } else if (arg === 'hangup') {
          this.co.callerAbandons();
          this.co.farEndHangUp();
        } else this.out('usage: pstn call NUMBER [NAME] | pstn hangup');
        break;
      case 'status':
        for (const l of this.status()) this.out(l);
        break;
      case 'help':
        for (const l of PHONE_HELP) this.out(l);
        break;
      case 'quit':
      case 'exit':
        return false;
      default:
        this.out(`unknown command ${cmd}; "help" lists them`);
    }
    this.watch();
    return true;
  }

  status(): string[] {
    const leds = this.hw.leds.panel();
    return [
      `phone: ${this.phone.isOffHook ? 'off-hook' : 'on-hook'}, hears ${this.phone.hearing}, rings ${this.phone.rings}, display ${formatCallerId(this.phone.callerId)}, MWI ${this.phone.messageWaiting ? 'on' : 'off'}`,
      `unit: FXS ${this.hw.fxs.hook}${this.hw.fxs.ringing ? ' ringing' : ''}, FXO ${this.hw.fxo.state}, lifeline ${this.hw.lifeline.engaged ? `engaged (${this.hw.lifeline.reason})` : 'released'}`,
      `LEDs: ${Object.entries(leds).map(([k, v]) => `${k}=${v}`).join(' ')}`,
      `PSTN line: ${this.co.state}${this.co.dialed.length ? `, dialled ${this.co.dialed.join(', ')}` : ''}`,
    ];
  }

  close(): void {
    for (const s of this.stops) s();
    this.hw.plugPhone(undefined);
    this.hw.plugLine(undefined);
  }
}
