/**
 * Decoders for every CWMP message body (TR-069 Annex A), one per method name. A decoder throws
 * DecodeError on bad arguments; decodeBody turns that into an InvalidMessage so the caller can
 * still answer with the request's cwmp:ID.
 */
import { DecodeError } from '../../shared/errors';
import { isFaultCode, type ParameterFault } from '../faults';
import type { CwmpMessage, DecodedBody, FaultStruct, ParameterValue, XsdType } from './types';
import { attr, boolText, child, children, intText, items, text, textOf, type XmlNode } from './xml';

const XSD_TYPES = new Set<XsdType>(['string', 'int', 'unsignedInt', 'boolean', 'dateTime', 'base64', 'long', 'unsignedLong', 'hexBinary']);

function xsdType(node: XmlNode): XsdType {
  const t = attr(node, 'type');
  if (!t) return 'string';
  const local = (t.includes(':') ? t.slice(t.indexOf(':') + 1) : t) as XsdType;
  return XSD_TYPES.has(local) ? local : 'string';
}

function parameterValues(n: XmlNode): ParameterValue[] {
  return items(n, 'ParameterList', 'ParameterValueStruct').map((p) => {
    const v = child(p, 'Value');
    const name = text(p, 'Name', true);
    return { name, value: v ? textOf(v) : '', type: v ? xsdType(v) : 'string' };
  });
}

function stringList(n: XmlNode, list: string): string[] {
  return items(n, list, 'string').map(textOf);
}

function faultStruct(n: XmlNode): FaultStruct {
  const f = child(n, 'FaultStruct');
  return f ? { code: intText(f, 'FaultCode', false, 0), string: text(f, 'FaultString') } : { code: 0, string: '' };
}

function unsigned(n: XmlNode, name: string, required = false): number {
  const v = intText(n, name, required, 0);
  if (v < 0) throw new DecodeError(`element ${name} must not be negative`);
  return v;
}

type Decoder = (n: XmlNode) => CwmpMessage;

const DECODERS: Record<string, Decoder> = {
  // ---- ACS → CPE requests ----
  GetRPCMethods: () => ({ method: 'GetRPCMethods' }),
  SetParameterValues: (n) => ({ method: 'SetParameterValues', parameterList: parameterValues(n), parameterKey: text(n, 'ParameterKey') }),
  GetParameterValues: (n) => ({ method: 'GetParameterValues', parameterNames: stringList(n, 'ParameterNames') }),
  GetParameterNames: (n) => ({ method: 'GetParameterNames', parameterPath: text(n, 'ParameterPath'), nextLevel: boolText(n, 'NextLevel', true) }),
  SetParameterAttributes: (n) => ({
    method: 'SetParameterAttributes',
    parameterList: items(n, 'ParameterList', 'SetParameterAttributesStruct').map((a) => ({
      name: text(a, 'Name'),
      notificationChange: boolText(a, 'NotificationChange'),
      notification: intText(a, 'Notification', false, 0),
      accessListChange: boolText(a, 'AccessListChange'),
      accessList: stringList(a, 'AccessList'),
    })),
  }),
  GetParameterAttributes: (n) => ({ method: 'GetParameterAttributes', parameterNames: stringList(n, 'ParameterNames') }),
  AddObject: (n) => ({ method: 'AddObject', objectName: text(n, 'ObjectName', true), parameterKey: text(n, 'ParameterKey') }),
  DeleteObject: (n) => ({ method: 'DeleteObject', objectName: text(n, 'ObjectName', true), parameterKey: text(n, 'ParameterKey') }),
  Reboot: (n) => ({ method: 'Reboot', commandKey: text(n, 'CommandKey') }),
  FactoryReset: () => ({ method: 'FactoryReset' }),
  Download: (n) => ({
    method: 'Download',
    commandKey: text(n, 'CommandKey'),
    fileType: text(n, 'FileType', true),
    url: text(n, 'URL', true),
    username: text(n, 'Username'),
    password: text(n, 'Password'),
    fileSize: unsigned(n, 'FileSize'),
    targetFileName: text(n, 'TargetFileName'),
    delaySeconds: unsigned(n, 'DelaySeconds'),
    successUrl: text(n, 'SuccessURL'),
    failureUrl: text(n, 'FailureURL'),
  }),
  Upload: (n) => ({
    method: 'Upload',
    commandKey: text(n, 'CommandKey'),
    fileType: text(n, 'FileType', true),
    url: text(n, 'URL', true),
    username: text(n, 'Username'),
    password: text(n, 'Password'),
    delaySeconds: unsigned(n, 'DelaySeconds'),
  }),
  ScheduleInform: (n) => ({ method: 'ScheduleInform', delaySeconds: unsigned(n, 'DelaySeconds', true), commandKey: text(n, 'CommandKey') }),
  ScheduleDownload: (n) => ({
    method: 'ScheduleDownload',
    commandKey: text(n, 'CommandKey'),
    fileType: text(n, 'FileType', true),
    url: text(n, 'URL', true),
    username: text(n, 'Username'),
    password: text(n, 'Password'),
    fileSize: unsigned(n, 'FileSize'),
    targetFileName: text(n, 'TargetFileName'),
    timeWindowList: items(n, 'TimeWindowList', 'TimeWindowStruct').map((w) => ({
      windowStart: unsigned(w, 'WindowStart', true),
      windowEnd: unsigned(w, 'WindowEnd', true),
      windowMode: text(w, 'WindowMode', true),
      userMessage: text(w, 'UserMessage'),
      maxRetries: intText(w, 'MaxRetries', false, 0),
    })),
  }),
  CancelTransfer: (n) => ({ method: 'CancelTransfer', commandKey: text(n, 'CommandKey') }),
  GetQueuedTransfers: () => ({ method: 'GetQueuedTransfers' }),
  GetAllQueuedTransfers: () => ({ method: 'GetAllQueuedTransfers' }),

  // ---- CPE → ACS responses ----
  GetRPCMethodsResponse: (n) => ({ method: 'GetRPCMethodsResponse', methodList: stringList(n, 'MethodList') }),
  SetParameterValuesResponse: (n) => ({ method: 'SetParameterValuesResponse', status: intText(n, 'Status') === 1 ? 1 : 0 }),
  GetParameterValuesResponse: (n) => ({ method: 'GetParameterValuesResponse', parameterList: parameterValues(n) }),
  GetParameterNamesResponse: (n) => ({
    method: 'GetParameterNamesResponse',
    parameterList: items(n, 'ParameterList', 'ParameterInfoStruct').map((p) => ({ name: text(p, 'Name'), writable: boolText(p, 'Writable') })),
  }),
  SetParameterAttributesResponse: () => ({ method: 'SetParameterAttributesResponse' }),
  GetParameterAttributesResponse: (n) => ({
    method: 'GetParameterAttributesResponse',
    parameterList: items(n, 'ParameterList', 'ParameterAttributeStruct').map((p) => ({
      name: text(p, 'Name'),
      notification: intText(p, 'Notification'),
      accessList: stringList(p, 'AccessList'),
    })),
  }),
  AddObjectResponse: (n) => ({ method: 'AddObjectResponse', instanceNumber: intText(n, 'InstanceNumber'), status: intText(n, 'Status') === 1 ? 1 : 0 }),
  DeleteObjectResponse: (n) => ({ method: 'DeleteObjectResponse', status: intText(n, 'Status') === 1 ? 1 : 0 }),
  RebootResponse: () => ({ method: 'RebootResponse' }),
  FactoryResetResponse: () => ({ method: 'FactoryResetResponse' }),
  DownloadResponse: (n) => ({
    method: 'DownloadResponse',
    status: intText(n, 'Status') === 1 ? 1 : 0,
    startTime: text(n, 'StartTime'),
    completeTime: text(n, 'CompleteTime'),
  }),
  UploadResponse: (n) => ({
    method: 'UploadResponse',
    status: intText(n, 'Status') === 1 ? 1 : 0,
    startTime: text(n, 'StartTime'),
    completeTime: text(n, 'CompleteTime'),
  }),
  ScheduleInformResponse: () => ({ method: 'ScheduleInformResponse' }),
  ScheduleDownloadResponse: () => ({ method: 'ScheduleDownloadResponse' }),
  CancelTransferResponse: () => ({ method: 'CancelTransferResponse' }),
  GetQueuedTransfersResponse: (n) => ({
    method: 'GetQueuedTransfersResponse',
    transferList: items(n, 'TransferList', 'QueuedTransferStruct').map((t) => ({ commandKey: text(t, 'CommandKey'), state: state(t) })),
  }),
  GetAllQueuedTransfersResponse: (n) => ({
    method: 'GetAllQueuedTransfersResponse',
    transferList: items(n, 'TransferList', 'AllQueuedTransferStruct').map((t) => ({
      commandKey: text(t, 'CommandKey'),
      state: state(t),
      isDownload: boolText(t, 'IsDownload'),
      fileType: text(t, 'FileType'),
      fileSize: intText(t, 'FileSize'),
      targetFileName: text(t, 'TargetFileName'),
    })),
  }),

  // ---- CPE → ACS requests ----
  Inform: (n) => {
    const d = child(n, 'DeviceId');
    if (!d) throw new DecodeError('missing element DeviceId');
    return {
      method: 'Inform',
      deviceId: {
        manufacturer: text(d, 'Manufacturer'),
        oui: text(d, 'OUI'),
        productClass: text(d, 'ProductClass'),
        serialNumber: text(d, 'SerialNumber'),
      },
      event: items(n, 'Event', 'EventStruct').map((e) => ({ code: text(e, 'EventCode'), commandKey: text(e, 'CommandKey') })),
      maxEnvelopes: intText(n, 'MaxEnvelopes', false, 1),
      currentTime: text(n, 'CurrentTime'),
      retryCount: intText(n, 'RetryCount'),
      parameterList: parameterValues(n),
    };
  },
  TransferComplete: (n) => ({
    method: 'TransferComplete',
    commandKey: text(n, 'CommandKey'),
    fault: faultStruct(n),
    startTime: text(n, 'StartTime'),
    completeTime: text(n, 'CompleteTime'),
  }),
  AutonomousTransferComplete: (n) => ({
    method: 'AutonomousTransferComplete',
    announceUrl: text(n, 'AnnounceURL'),
    transferUrl: text(n, 'TransferURL'),
    isDownload: boolText(n, 'IsDownload'),
    fileType: text(n, 'FileType'),
    fileSize: intText(n, 'FileSize'),
    targetFileName: text(n, 'TargetFileName'),
    fault: faultStruct(n),
    startTime: text(n, 'StartTime'),
    completeTime: text(n, 'CompleteTime'),
  }),
  RequestDownload: (n) => ({
    method: 'RequestDownload',
    fileType: text(n, 'FileType'),
    fileTypeArg: items(n, 'FileTypeArg', 'ArgStruct').map((a) => ({ name: text(a, 'Name'), value: text(a, 'Value') })),
  }),
  Kicked: (n) => ({ method: 'Kicked', command: text(n, 'Command'), referer: text(n, 'Referer'), arg: text(n, 'Arg'), next: text(n, 'Next') }),

  // ---- ACS → CPE responses ----
  InformResponse: (n) => ({ method: 'InformResponse', maxEnvelopes: intText(n, 'MaxEnvelopes', false, 1) }),
  TransferCompleteResponse: () => ({ method: 'TransferCompleteResponse' }),
  AutonomousTransferCompleteResponse: () => ({ method: 'AutonomousTransferCompleteResponse' }),
  RequestDownloadResponse: () => ({ method: 'RequestDownloadResponse' }),
  KickedResponse: (n) => ({ method: 'KickedResponse', nextUrl: text(n, 'NextURL') }),
};

function state(n: XmlNode): 1 | 2 | 3 {
  const s = intText(n, 'State');
  if (s !== 1 && s !== 2 && s !== 3) throw new DecodeError(`State must be 1, 2 or 3, not ${s}`);
  return s;
}

/** The SOAP Fault body, with the CWMP detail when present (TR-069 A.5). */
function decodeFault(n: XmlNode): CwmpMessage {
  const detail = child(n, 'detail');
  const f = detail ? child(detail, 'Fault') : undefined;
  if (!f) return { method: 'Fault', faultCode: 0, faultString: text(n, 'faultstring'), setParameterValuesFault: [] };
  const spv: ParameterFault[] = children(f, 'SetParameterValuesFault').map((p) => {
    const code = intText(p, 'FaultCode');
    return { name: text(p, 'ParameterName'), code: isFaultCode(code) ? code : 9002, message: text(p, 'FaultString') };
  });
  return { method: 'Fault', faultCode: intText(f, 'FaultCode'), faultString: text(f, 'FaultString'), setParameterValuesFault: spv };
}

/** Decodes the one element of a SOAP Body. */
export function decodeBody(name: string, node: XmlNode): DecodedBody {
  if (name === 'Fault') {
    try {
      return decodeFault(node);
    } catch (e) {
      return { method: 'Invalid', name, reason: e instanceof Error ? e.message : String(e) };
    }
  }
  const d = Object.prototype.hasOwnProperty.call(DECODERS, name) ? DECODERS[name] : undefined;
  if (!d) return { method: 'Unknown', name };
  try {
    return d(node);
  } catch (e) {
    if (e instanceof DecodeError) return { method: 'Invalid', name, reason: e.reason };
    throw e;
  }
}
