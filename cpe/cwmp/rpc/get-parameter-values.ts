import { DataModelError } from '../../datamodel/types';
import { CwmpFault } from '../faults';
import type { ParameterValue } from '../soap/types';
import type { RpcHandler } from './context';

/** A.3.2.2: full names and partial paths; an unknown name is fault 9005. Secrets read as ''. */
export const getParameterValues: RpcHandler<'GetParameterValues'> = (req, { dm }) => {
  const out: ParameterValue[] = [];
  for (const name of req.parameterNames) {
    let params;
    try {
      params = dm.paramsUnder(name);
    } catch (e) {
      if (e instanceof DataModelError) throw new CwmpFault(9005, name);
      throw e;
    }
    for (const p of params) out.push({ name: p.path, value: dm.read(p), type: p.type });
  }
  return { method: 'GetParameterValuesResponse', parameterList: out };
};
