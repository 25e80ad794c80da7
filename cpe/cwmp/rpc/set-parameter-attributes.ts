import type { RpcHandler } from './context';

/** A.3.2.4: all entries validated before any is applied; persisted. */
export const setParameterAttributes: RpcHandler<'SetParameterAttributes'> = (req, { attributes }) => {
  attributes.set(req.parameterList);
  return { method: 'SetParameterAttributesResponse' };
};
