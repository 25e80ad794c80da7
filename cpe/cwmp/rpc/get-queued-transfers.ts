import type { RpcHandler } from './context';

/** A.4.1.2 (downloads only) */
export const getQueuedTransfers: RpcHandler<'GetQueuedTransfers'> = (_req, { transfers }) => ({
  method: 'GetQueuedTransfersResponse',
  transferList: transfers.queued(),
});
