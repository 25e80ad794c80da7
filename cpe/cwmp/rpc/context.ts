/** What an RPC handler may use. Handlers are pure request → response functions over this context. */
import type { DataModel } from '../../datamodel';
import type { ParamStore } from '../../params/store';
import type { NotificationAttributes } from '../attributes';
import type { TransferQueue } from '../transfers';
import type { CpeRequest, CpeResponse } from '../soap/types';

/** Work the session does after it ends (TR-069 A.3.2.8: Reboot and FactoryReset happen after the session). */
export type AfterSession = { kind: 'reboot'; commandKey: string } | { kind: 'factory-reset' };

export interface RpcContext {
  readonly dm: DataModel;
  readonly store: ParamStore;
  readonly attributes: NotificationAttributes;
  readonly transfers: TransferQueue;
  now(): number;
  /** ScheduleInform: an Inform with 3 SCHEDULED + M ScheduleInform after delay seconds. */
  scheduleInform(delaySeconds: number, commandKey: string): void;
  after(action: AfterSession): void;
}

export type RpcHandler<M extends CpeRequest['method']> = (req: Extract<CpeRequest, { method: M }>, ctx: RpcContext) => CpeResponse;
