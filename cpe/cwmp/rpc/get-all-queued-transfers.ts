import type { RpcHandler } from './context';

/** A.4.1.7: downloads and uploads. */
export const getAllQueuedTransfers: RpcHandler<'GetAllQueuedTransfers'> = (_req, { transfers }) => ({
  method: 'GetAllQueuedTransfersResponse',
  transferList: transfers.all(),
});
