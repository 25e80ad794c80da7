import { DataModelError } from '../../datamodel/types';
import { CwmpFault } from '../faults';
import type { RpcHandler } from './context';
import { PARAMETER_KEY_P, storeFaults } from './set-parameter-values';

/** A.3.2.7: the row's P-values back to defaults and the ParameterKey, one batch; the slot is free again. */
export const deleteObject: RpcHandler<'DeleteObject'> = (req, { dm, store }) => {
  let op;
  try {
    op = dm.deleteObject(req.objectName);
  } catch (e) {
    if (e instanceof DataModelError) throw new CwmpFault(e.problem.kind === 'unknown-name' ? 9005 : 9003, e.message);
    throw e;
  }
  const r = store.apply([...op.batch, [PARAMETER_KEY_P, req.parameterKey]], 'cwmp');
  if (!r.ok) throw new CwmpFault(9003, 'rejected by the parameter store', storeFaults(r.errors, new Map(), req.parameterKey));
  op.finish();
  return { method: 'DeleteObjectResponse', status: 0 };
};
