import type { RpcHandler } from './context';

/** A.4.1.9: only transfers not yet started (9021 otherwise, 9003 for an unknown CommandKey). */
export const cancelTransfer: RpcHandler<'CancelTransfer'> = (req, { transfers }) => {
  transfers.cancel(req.commandKey);
  return { method: 'CancelTransferResponse' };
};
