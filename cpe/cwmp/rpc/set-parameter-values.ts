import type { Problem } from '../../datamodel/types';
import type { BatchEntryError, ParamErrorKind } from '../../params/types';
import { CwmpFault, type FaultCode, type ParameterFault } from '../faults';
import type { RpcHandler } from './context';

/** ParameterKey lives in P4509 (reference §1.4). */
export const PARAMETER_KEY_P = 4509;

const PROBLEM_FAULT: Record<Problem['kind'], FaultCode> = {
  'unknown-name': 9005,
  'not-writable': 9008,
  type: 9006,
  value: 9007,
  resources: 9004,
  'invalid-arguments': 9003,
};

/** The store's per-entry error kinds as CWMP faults (A.5.1). */
export const STORE_ERROR_FAULT: Record<ParamErrorKind, FaultCode> = {
  unknown: 9005,
  type: 9007,
  range: 9007,
  enum: 9007,
  length: 9007,
  charset: 9007,
  locked: 9001,
  duplicate: 9007,
  access: 9008,
  'read-only': 9008,
};

/**
 * A.3.2.1: all entries checked, then ONE store batch (source 'cwmp') carrying the ParameterKey,
 * committed whole or not at all. Any failure: fault 9003 with one SetParameterValuesFault per
 * failing parameter, nothing changed. Status 1 when a changed P-value takes effect at reboot.
 */
export const setParameterValues: RpcHandler<'SetParameterValues'> = (req, { dm, store }) => {
  const plan = dm.plan(req.parameterList.map((p) => ({ name: p.name, value: p.value, type: p.type })));
  const faults: ParameterFault[] = plan.problems.map((p) => ({ name: p.name, code: PROBLEM_FAULT[p.kind], message: p.reason }));
  if (faults.length > 0) throw new CwmpFault(9003, `${faults.length} invalid parameter(s)`, faults);
  const batch: Array<[number, string]> = [...plan.batch, [PARAMETER_KEY_P, req.parameterKey]];
  const result = store.apply(batch, 'cwmp');
  if (!result.ok) throw new CwmpFault(9003, 'rejected by the parameter store', storeFaults(result.errors, plan.owners, req.parameterKey));
  dm.commitState(plan.state);
  return { method: 'SetParameterValuesResponse', status: result.rebootRequired ? 1 : 0 };
};

/** Names the TR-069 parameters behind each rejected P-value. */
export function storeFaults(errors: readonly BatchEntryError[], owners: ReadonlyMap<number, string[]>, parameterKey: string): ParameterFault[] {
  const out: ParameterFault[] = [];
  for (const e of errors) {
    const id = Number(String(e.id).replace(/^P/i, ''));
    const names = owners.get(id) ?? (id === PARAMETER_KEY_P ? [`ParameterKey ${JSON.stringify(parameterKey)}`] : [`P${id}`]);
    // The store's message names the P-number and value; only the rule goes to the ACS.
    const rule = e.message.replace(/^P\d+=.*?:\s*/, '');
    for (const name of names) out.push({ name, code: STORE_ERROR_FAULT[e.kind], message: rule });
  }
  return out;
}
