/**
 * Binds the dial-plan grammar (cpe/params/syntax/dial-plan.ts, reference §6) to the FXS line's
 * DialPlanMatcher. Decoded plans are kept per plan text in this instance (one per line, not module
 * state); an invalid plan falls back to `{x+}` as the reference says, logged once.
 */
import { decodeDialPlan, matchDialPlan, type DialPlan } from '../../params/syntax/dial-plan';
import type { Logger } from '../../shared/logger';
import type { DialPlanMatcher, DialPlanVerdict } from '../fxs/dial-plan-port';

const FALLBACK = '{x+}';

export class GrandstreamDialPlan implements DialPlanMatcher {
  private text: string | undefined;
  private plan: DialPlan | undefined;

  constructor(private readonly log?: Logger) {}

  private decoded(text: string): DialPlan {
    if (this.plan && this.text === text) return this.plan;
    let plan: DialPlan;
    try {
      plan = decodeDialPlan(text);
    } catch (e) {
      this.log?.warn({ plan: text, err: (e as Error).message }, 'invalid dial plan: using {x+}');
      plan = decodeDialPlan(FALLBACK);
    }
    this.text = text;
    this.plan = plan;
    return plan;
  }

  match(planText: string, digits: string): DialPlanVerdict {
    const m = matchDialPlan(this.decoded(planText), digits);
    if (m.kind === 'complete') {
      const number = m.dial ?? digits;
      const pstn = m.pstn === true;
      return m.more ? { status: 'match-more', number, pstn } : { status: 'complete', number, pstn };
    }
    return m.kind === 'partial' ? { status: 'partial' } : { status: 'no-match' };
  }
}
