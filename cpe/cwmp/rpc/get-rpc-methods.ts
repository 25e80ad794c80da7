import type { RpcHandler } from './context';

/** The CPE methods this unit serves (TR-069 A.3.1.1; the HT8xx list, reference §5, less ChangeDUState). */
export const CPE_METHODS = [
  'GetRPCMethods',
  'SetParameterValues',
  'GetParameterValues',
  'GetParameterNames',
  'SetParameterAttributes',
  'GetParameterAttributes',
  'AddObject',
  'DeleteObject',
  'Reboot',
  'Download',
  'Upload',
  'FactoryReset',
  'GetQueuedTransfers',
  'GetAllQueuedTransfers',
  'ScheduleInform',
  'ScheduleDownload',
  'CancelTransfer',
] as const;

export const getRpcMethods: RpcHandler<'GetRPCMethods'> = () => ({ method: 'GetRPCMethodsResponse', methodList: [...CPE_METHODS] });
