import { DataModelError } from '../../datamodel/types';
import { CwmpFault } from '../faults';
import type { RpcHandler } from './context';
import { PARAMETER_KEY_P, storeFaults } from './set-parameter-values';

/** A.3.2.6: the first free slot of the table; 9004 when the unit's slots are full. */
export const addObject: RpcHandler<'AddObject'> = (req, { dm, store }) => {
  let instance: number;
  try {
    instance = dm.addObject(req.objectName);
  } catch (e) {
    if (e instanceof DataModelError) {
      const k = e.problem.kind;
      throw new CwmpFault(k === 'resources' ? 9004 : k === 'unknown-name' ? 9005 : 9003, e.message);
    }
    throw e;
  }
  const r = store.apply([[PARAMETER_KEY_P, req.parameterKey]], 'cwmp');
  if (!r.ok) {
    dm.deleteObject(`${req.objectName}${instance}.`).finish();
    throw new CwmpFault(9003, 'invalid ParameterKey', storeFaults(r.errors, new Map(), req.parameterKey));
  }
  return { method: 'AddObjectResponse', instanceNumber: instance, status: 0 };
};
