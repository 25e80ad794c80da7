import { CwmpFault } from '../faults';
import type { RpcHandler } from './context';

/** A.4.1.6: full factory reset after the session (through the device lifecycle); refused up front when P88 locks it. */
export const factoryReset: RpcHandler<'FactoryReset'> = (_req, ctx) => {
  const refusal = ctx.store.resetRefusal('full');
  if (refusal) throw new CwmpFault(9001, refusal);
  ctx.after({ kind: 'factory-reset' });
  return { method: 'FactoryResetResponse' };
};
