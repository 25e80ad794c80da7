import { HtError } from '../shared/errors';
import type { BatchEntryError } from './types';

export type ParamErrorCode = 'rejected' | 'locked' | 'corrupt' | 'closed';

/** A store operation refused as a whole: a rejected batch (with its per-entry errors), a reset locked by P88, a closed store. */
export class ParamError extends HtError {
  readonly kind: ParamErrorCode;
  readonly entries: readonly BatchEntryError[];
  constructor(kind: ParamErrorCode, message: string, entries: readonly BatchEntryError[] = []) {
    super(`ERR_PARAM_${kind.toUpperCase()}`, message);
    this.kind = kind;
    this.entries = entries;
  }
}
