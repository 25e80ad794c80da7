/**
 * One handler per CPE RPC, and the dispatcher that turns a decoded request into the response or
 * fault the ACS must see (faults are values here, never exceptions crossing the session).
 */
import { CwmpFault, faultText } from '../faults';
import { faultMessage, type CpeRequest, type CpeResponse, type DecodedBody, type FaultMessage } from '../soap/types';
import { addObject } from './add-object';
import { cancelTransfer } from './cancel-transfer';
import { deleteObject } from './delete-object';
import type { RpcContext, RpcHandler } from './context';
import { download } from './download';
import { factoryReset } from './factory-reset';
import { getAllQueuedTransfers } from './get-all-queued-transfers';
import { getParameterAttributes } from './get-parameter-attributes';
import { getParameterNames } from './get-parameter-names';
import { getParameterValues } from './get-parameter-values';
import { getRpcMethods } from './get-rpc-methods';
import { getQueuedTransfers } from './get-queued-transfers';
import { reboot } from './reboot';
import { scheduleDownload } from './schedule-download';
import { scheduleInform } from './schedule-inform';
import { setParameterAttributes } from './set-parameter-attributes';
import { setParameterValues } from './set-parameter-values';
import { upload } from './upload';

type HandlerMap = { [M in CpeRequest['method']]: RpcHandler<M> };

const HANDLERS: HandlerMap = {
  GetRPCMethods: getRpcMethods,
  SetParameterValues: setParameterValues,
  GetParameterValues: getParameterValues,
  GetParameterNames: getParameterNames,
  SetParameterAttributes: setParameterAttributes,
  GetParameterAttributes: getParameterAttributes,
  AddObject: addObject,
  DeleteObject: deleteObject,
  Reboot: reboot,
  FactoryReset: factoryReset,
  Download: download,
  Upload: upload,
  ScheduleInform: scheduleInform,
  ScheduleDownload: scheduleDownload,
  CancelTransfer: cancelTransfer,
  GetQueuedTransfers: getQueuedTransfers,
  GetAllQueuedTransfers: getAllQueuedTransfers,
};

export function isCpeRequest(body: DecodedBody): body is CpeRequest {
  return Object.prototype.hasOwnProperty.call(HANDLERS, body.method);
}

/** Serves one ACS request: the response, or the fault (9000 unknown method, 9003 bad arguments, 9002 internal). */
export function serveRequest(body: DecodedBody, ctx: RpcContext, onInternalError?: (e: unknown) => void): CpeResponse | FaultMessage {
  if (body.method === 'Unknown') return faultMessage(9000, `${faultText(9000)}: ${body.name}`);
  if (body.method === 'Invalid') return faultMessage(9003, `${faultText(9003)}: ${body.reason}`);
  if (!isCpeRequest(body)) return faultMessage(9000, `${faultText(9000)}: ${body.method}`);
  try {
    const h = HANDLERS[body.method] as RpcHandler<typeof body.method>;
    return h(body as never, ctx);
  } catch (e) {
    if (e instanceof CwmpFault) return faultMessage(e.fault, faultText(e.fault), e.parameterFaults);
    onInternalError?.(e);
    return faultMessage(9002, faultText(9002));
  }
}
