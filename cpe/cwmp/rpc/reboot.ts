import type { RpcHandler } from './context';

/** A.3.2.9: reboot after the session ends; M Reboot with the CommandKey rides the next Inform. */
export const reboot: RpcHandler<'Reboot'> = (req, ctx) => {
  ctx.after({ kind: 'reboot', commandKey: req.commandKey });
  return { method: 'RebootResponse' };
};
