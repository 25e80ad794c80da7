/**
 * Option negotiation of the unit's Telnet side (RFC 854 "General Considerations", with RFC 1143's
 * rule that a request only ever answers a change of state, so two ends cannot loop).
 * The unit offers ECHO (RFC 857: it echoes, so passwords are not shown) and SUPPRESS-GO-AHEAD
 * (RFC 858): together a stock client goes to character-at-a-time mode. It agrees to the client
 * suppressing go-aheads, and refuses every other option either way.
 */
import { OPT_ECHO, OPT_SGA, type Verb } from './telnet-codec';

/** no / yes, or a request of ours is waiting for its answer. */
type OptState = 'no' | 'yes' | 'wantyes';

/** Options the unit performs (WILL) when asked, and options it lets the client perform (DO). */
const WE_WILL: ReadonlySet<number> = new Set([OPT_ECHO, OPT_SGA]);
const THEY_MAY: ReadonlySet<number> = new Set([OPT_SGA]);

export interface Reply {
  readonly verb: Verb;
  readonly option: number;
}

export class TelnetOptions {
  private readonly us = new Map<number, OptState>();
  private readonly him = new Map<number, OptState>();

  /** What the unit sends first: WILL ECHO, WILL SGA. */
  offer(): Reply[] {
    const out: Reply[] = [];
    for (const o of WE_WILL) {
      this.us.set(o, 'wantyes');
      out.push({ verb: 'WILL', option: o });
    }
    return out;
  }

  /** Whether the unit echoes now (offered and not refused). */
  get echoing(): boolean {
    return (this.us.get(OPT_ECHO) ?? 'no') !== 'no';
  }

  /** The answer (if any) to one received negotiation. */
  receive(verb: Verb, option: number): Reply | undefined {
    switch (verb) {
      case 'DO': {
        const s = this.us.get(option) ?? 'no';
        if (s === 'wantyes') return void this.us.set(option, 'yes');
        if (s === 'yes') return undefined;
        if (!WE_WILL.has(option)) return { verb: 'WONT', option };
        this.us.set(option, 'yes');
        return { verb: 'WILL', option };
      }
      case 'DONT': {
        const s = this.us.get(option) ?? 'no';
        this.us.set(option, 'no');
        return s === 'yes' ? { verb: 'WONT', option } : undefined;
      }
      case 'WILL': {
        const s = this.him.get(option) ?? 'no';
        if (s === 'wantyes') return void this.him.set(option, 'yes');
        if (s === 'yes') return undefined;
        if (!THEY_MAY.has(option)) return { verb: 'DONT', option };
        this.him.set(option, 'yes');
        return { verb: 'DO', option };
      }
      case 'WONT': {
        const s = this.him.get(option) ?? 'no';
        this.him.set(option, 'no');
        return s === 'yes' ? { verb: 'DONT', option } : undefined;
      }
    }
  }
}
