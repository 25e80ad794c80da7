/**
 * How the FXS line asks the dial plan (P4200, reference §6) about the digits dialed so far.
 * The grammar lives in cpe/params/syntax/dial-plan.ts; calls/dial-plan-adapter.ts binds it here.
 */
export type DialPlanVerdict =
  /** A rule matches and no longer input can match: dial now. */
  | { readonly status: 'complete'; readonly number: string; readonly pstn: boolean }
  /** A rule matches, a longer input could match too: dial on `#` or the no-key-entry timeout. */
  | { readonly status: 'match-more'; readonly number: string; readonly pstn: boolean }
  /** No rule matches yet, more digits could make one match. */
  | { readonly status: 'partial' }
  /** No rule can match whatever follows. */
  | { readonly status: 'no-match' };

export interface DialPlanMatcher {
  match(plan: string, digits: string): DialPlanVerdict;
}
