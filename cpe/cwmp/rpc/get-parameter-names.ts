import { DataModelError } from '../../datamodel/types';
import { CwmpFault } from '../faults';
import type { RpcHandler } from './context';

/** A.3.2.3 with NextLevel. */
export const getParameterNames: RpcHandler<'GetParameterNames'> = (req, { dm }) => {
  try {
    return { method: 'GetParameterNamesResponse', parameterList: dm.names(req.parameterPath, req.nextLevel) };
  } catch (e) {
    if (e instanceof DataModelError) throw new CwmpFault(e.problem.kind === 'invalid-arguments' ? 9003 : 9005, e.message);
    throw e;
  }
};
