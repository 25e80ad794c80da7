import { CwmpFault } from '../faults';
import type { RpcHandler } from './context';

/** A.4.1.4: 3 SCHEDULED + M ScheduleInform after DelaySeconds (> 0). */
export const scheduleInform: RpcHandler<'ScheduleInform'> = (req, ctx) => {
  if (req.delaySeconds <= 0) throw new CwmpFault(9003, 'DelaySeconds must be greater than 0');
  ctx.scheduleInform(req.delaySeconds, req.commandKey);
  return { method: 'ScheduleInformResponse' };
};
