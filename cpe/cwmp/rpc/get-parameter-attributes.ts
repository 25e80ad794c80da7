import { DataModelError } from '../../datamodel/types';
import { CwmpFault } from '../faults';
import type { ParameterAttribute } from '../soap/types';
import type { RpcHandler } from './context';

/** A.3.2.5 */
export const getParameterAttributes: RpcHandler<'GetParameterAttributes'> = (req, { dm, attributes }) => {
  const out: ParameterAttribute[] = [];
  for (const name of req.parameterNames) {
    let params;
    try {
      params = dm.paramsUnder(name);
    } catch (e) {
      if (e instanceof DataModelError) throw new CwmpFault(9005, name);
      throw e;
    }
    for (const p of params) out.push(attributes.get(p));
  }
  return { method: 'GetParameterAttributesResponse', parameterList: out };
};
