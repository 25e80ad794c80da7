/**
 * The data model's vocabulary: TR-069 paths as views over P-values (STYLE.md "Data model").
 * A parameter is bound to one or more P-values through a codec, or to a live getter, or is a
 * constant; a few ACS-only settings that have no P-value live in the model's own state.
 */

/** TR-106 data types the tree uses (carried on the wire as xsd:<type>). */
export type DmType = 'string' | 'boolean' | 'unsignedInt' | 'int' | 'dateTime' | 'base64';

/** Why a value cannot be written: `type` = not of the parameter's type, `value` = of the type but not allowed. */
export interface Rejection {
  readonly rejected: 'type' | 'value';
  readonly reason: string;
}

export function reject(rejected: 'type' | 'value', reason: string): Rejection {
  return { rejected, reason };
}

export function isRejection(v: unknown): v is Rejection {
  return typeof v === 'object' && v !== null && 'rejected' in v;
}

/**
 * Between the P-values a parameter is bound to and its TR-069 value. `write` gets the current
 * P-values (already including earlier entries of the same SetParameterValues) and returns the new ones.
 */
export interface Binding {
  readonly ids: readonly number[];
  read(values: readonly string[]): string;
  write?(value: string, current: readonly string[]): readonly string[] | Rejection;
}

export type ParamSource =
  | { readonly kind: 'pvalue'; readonly binding: Binding }
  | { readonly kind: 'live'; readonly get: () => string }
  | { readonly kind: 'const'; readonly value: string }
  /** A setting with no P-value (reference §1.4 has none), kept in the model's state. */
  | { readonly kind: 'state'; readonly key: string; readonly dflt: string; readonly check: (v: string) => string | Rejection };

export interface ParamNode {
  readonly kind: 'param';
  readonly path: string;
  readonly type: DmType;
  readonly writable: boolean;
  /** Passwords: read as empty strings (TR-069 A.3.2.2). */
  readonly secret: boolean;
  readonly source: ParamSource;
  /** The nearest multi-instance row this parameter lives in (it exists only while the row does). */
  readonly gate?: () => boolean;
}

export interface TableSpec {
  /** The unit's fixed slots: instance numbers 1..slots. */
  readonly slots: number;
  /** Whether slot i holds a row. */
  used(i: number): boolean;
  /** The batch that empties slot i (back to defaults). */
  clear(i: number): ReadonlyArray<readonly [number, string]>;
}

export interface ObjectNode {
  readonly kind: 'object';
  /** Ends with '.'. */
  readonly path: string;
  readonly children: string[];
  /** Set on a multi-instance table object ('…PortMapping.'): AddObject / DeleteObject work on it. */
  readonly table?: TableSpec;
  /** Set on the rows of a table. */
  readonly gate?: () => boolean;
}

export type DmNode = ParamNode | ObjectNode;

/** What a SetParameterValues plan or an object operation reports per failing name. */
export type ProblemKind = 'unknown-name' | 'not-writable' | 'type' | 'value' | 'resources' | 'invalid-arguments';

export interface Problem {
  readonly name: string;
  readonly kind: ProblemKind;
  readonly reason: string;
}

export class DataModelError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.name}: ${problem.reason}`);
  }
}
