/**
 * Encoders for every CWMP message body (TR-069 Annex A). One function per RPC, each returning the
 * XML of the `cwmp:<Method>` element with unqualified children (the schemas' elementFormDefault).
 */
import { FAULTS, isFaultCode } from '../faults';
import type {
  AcsRequest,
  AcsResponse,
  CpeRequest,
  CpeResponse,
  CwmpMessage,
  FaultMessage,
  FaultStruct,
  ParameterValue,
} from './types';
import { el, esc } from './xml';

function arr(name: string, itemType: string, parts: readonly string[]): string {
  return `<${name} soap-enc:arrayType="${itemType}[${parts.length}]">${parts.join('')}</${name}>`;
}

function values(list: readonly ParameterValue[]): string {
  return arr(
    'ParameterList',
    'cwmp:ParameterValueStruct',
    list.map((p) => `<ParameterValueStruct>${el('Name', p.name)}<Value xsi:type="xsd:${p.type}">${esc(p.value)}</Value></ParameterValueStruct>`),
  );
}

function strings(name: string, list: readonly string[]): string {
  return arr(name, 'xsd:string', list.map((s) => el('string', s)));
}

function faultStruct(f: FaultStruct): string {
  return `<FaultStruct>${el('FaultCode', f.code)}${el('FaultString', f.string)}</FaultStruct>`;
}

function wrap(method: string, inner: string): string {
  return `<cwmp:${method}>${inner}</cwmp:${method}>`;
}

function cpeRequest(m: CpeRequest): string {
  switch (m.method) {
    case 'GetRPCMethods':
    case 'FactoryReset':
    case 'GetQueuedTransfers':
    case 'GetAllQueuedTransfers':
      return wrap(m.method, '');
    case 'SetParameterValues':
      return wrap(m.method, values(m.parameterList) + el('ParameterKey', m.parameterKey));
    case 'GetParameterValues':
    case 'GetParameterAttributes':
      return wrap(m.method, strings('ParameterNames', m.parameterNames));
    case 'GetParameterNames':
      return wrap(m.method, el('ParameterPath', m.parameterPath) + el('NextLevel', m.nextLevel ? 'true' : 'false'));
    case 'SetParameterAttributes':
      return wrap(
        m.method,
        arr(
          'ParameterList',
          'cwmp:SetParameterAttributesStruct',
          m.parameterList.map(
            (a) =>
              `<SetParameterAttributesStruct>${el('Name', a.name)}${el('NotificationChange', a.notificationChange)}` +
              `${el('Notification', a.notification)}${el('AccessListChange', a.accessListChange)}` +
              `${strings('AccessList', a.accessList)}</SetParameterAttributesStruct>`,
          ),
        ),
      );
    case 'AddObject':
    case 'DeleteObject':
      return wrap(m.method, el('ObjectName', m.objectName) + el('ParameterKey', m.parameterKey));
    case 'Reboot':
    case 'CancelTransfer':
      return wrap(m.method, el('CommandKey', m.commandKey));
    case 'Download':
      return wrap(
        m.method,
        el('CommandKey', m.commandKey) + el('FileType', m.fileType) + el('URL', m.url) + el('Username', m.username) +
          el('Password', m.password) + el('FileSize', m.fileSize) + el('TargetFileName', m.targetFileName) +
          el('DelaySeconds', m.delaySeconds) + el('SuccessURL', m.successUrl) + el('FailureURL', m.failureUrl),
      );
    case 'Upload':
      return wrap(
        m.method,
        el('CommandKey', m.commandKey) + el('FileType', m.fileType) + el('URL', m.url) + el('Username', m.username) +
          el('Password', m.password) + el('DelaySeconds', m.delaySeconds),
      );
    case 'ScheduleInform':
      return wrap(m.method, el('DelaySeconds', m.delaySeconds) + el('CommandKey', m.commandKey));
    case 'ScheduleDownload':
      return wrap(
        m.method,
        el('CommandKey', m.commandKey) + el('FileType', m.fileType) + el('URL', m.url) + el('Username', m.username) +
          el('Password', m.password) + el('FileSize', m.fileSize) + el('TargetFileName', m.targetFileName) +
          arr(
            'TimeWindowList',
            'cwmp:TimeWindowStruct',
            m.timeWindowList.map(
              (w) =>
                `<TimeWindowStruct>${el('WindowStart', w.windowStart)}${el('WindowEnd', w.windowEnd)}${el('WindowMode', w.windowMode)}` +
                `${el('UserMessage', w.userMessage)}${el('MaxRetries', w.maxRetries)}</TimeWindowStruct>`,
            ),
          ),
      );
  }
}

function cpeResponse(m: CpeResponse): string {
  switch (m.method) {
    case 'GetRPCMethodsResponse':
      return wrap(m.method, strings('MethodList', m.methodList));
    case 'SetParameterValuesResponse':
    case 'DeleteObjectResponse':
      return wrap(m.method, el('Status', m.status));
    case 'GetParameterValuesResponse':
      return wrap(m.method, values(m.parameterList));
    case 'GetParameterNamesResponse':
      return wrap(
        m.method,
        arr(
          'ParameterList',
          'cwmp:ParameterInfoStruct',
          m.parameterList.map((p) => `<ParameterInfoStruct>${el('Name', p.name)}${el('Writable', p.writable)}</ParameterInfoStruct>`),
        ),
      );
    case 'GetParameterAttributesResponse':
      return wrap(
        m.method,
        arr(
          'ParameterList',
          'cwmp:ParameterAttributeStruct',
          m.parameterList.map(
            (p) =>
              `<ParameterAttributeStruct>${el('Name', p.name)}${el('Notification', p.notification)}${strings('AccessList', p.accessList)}</ParameterAttributeStruct>`,
          ),
        ),
      );
    case 'AddObjectResponse':
      return wrap(m.method, el('InstanceNumber', m.instanceNumber) + el('Status', m.status));
    case 'DownloadResponse':
    case 'UploadResponse':
      return wrap(m.method, el('Status', m.status) + el('StartTime', m.startTime) + el('CompleteTime', m.completeTime));
    case 'SetParameterAttributesResponse':
    case 'RebootResponse':
    case 'FactoryResetResponse':
    case 'ScheduleInformResponse':
    case 'ScheduleDownloadResponse':
    case 'CancelTransferResponse':
      return wrap(m.method, '');
    case 'GetQueuedTransfersResponse':
      return wrap(
        m.method,
        arr(
          'TransferList',
          'cwmp:QueuedTransferStruct',
          m.transferList.map((t) => `<QueuedTransferStruct>${el('CommandKey', t.commandKey)}${el('State', t.state)}</QueuedTransferStruct>`),
        ),
      );
    case 'GetAllQueuedTransfersResponse':
      return wrap(
        m.method,
        arr(
          'TransferList',
          'cwmp:AllQueuedTransferStruct',
          m.transferList.map(
            (t) =>
              `<AllQueuedTransferStruct>${el('CommandKey', t.commandKey)}${el('State', t.state)}${el('IsDownload', t.isDownload)}` +
              `${el('FileType', t.fileType)}${el('FileSize', t.fileSize)}${el('TargetFileName', t.targetFileName)}</AllQueuedTransferStruct>`,
          ),
        ),
      );
  }
}

function acsRequest(m: AcsRequest): string {
  switch (m.method) {
    case 'Inform':
      return wrap(
        m.method,
        `<DeviceId>${el('Manufacturer', m.deviceId.manufacturer)}${el('OUI', m.deviceId.oui)}${el('ProductClass', m.deviceId.productClass)}` +
          `${el('SerialNumber', m.deviceId.serialNumber)}</DeviceId>` +
          arr(
            'Event',
            'cwmp:EventStruct',
            m.event.map((e) => `<EventStruct>${el('EventCode', e.code)}${el('CommandKey', e.commandKey)}</EventStruct>`),
          ) +
          el('MaxEnvelopes', m.maxEnvelopes) + el('CurrentTime', m.currentTime) + el('RetryCount', m.retryCount) +
          values(m.parameterList),
      );
    case 'TransferComplete':
      return wrap(
        m.method,
        el('CommandKey', m.commandKey) + faultStruct(m.fault) + el('StartTime', m.startTime) + el('CompleteTime', m.completeTime),
      );
    case 'AutonomousTransferComplete':
      return wrap(
        m.method,
        el('AnnounceURL', m.announceUrl) + el('TransferURL', m.transferUrl) + el('IsDownload', m.isDownload) +
          el('FileType', m.fileType) + el('FileSize', m.fileSize) + el('TargetFileName', m.targetFileName) +
          faultStruct(m.fault) + el('StartTime', m.startTime) + el('CompleteTime', m.completeTime),
      );
    case 'GetRPCMethods':
      return wrap(m.method, '');
    case 'RequestDownload':
      return wrap(
        m.method,
        el('FileType', m.fileType) +
          arr('FileTypeArg', 'cwmp:ArgStruct', m.fileTypeArg.map((a) => `<ArgStruct>${el('Name', a.name)}${el('Value', a.value)}</ArgStruct>`)),
      );
    case 'Kicked':
      return wrap(m.method, el('Command', m.command) + el('Referer', m.referer) + el('Arg', m.arg) + el('Next', m.next));
  }
}

function acsResponse(m: AcsResponse): string {
  switch (m.method) {
    case 'InformResponse':
      return wrap(m.method, el('MaxEnvelopes', m.maxEnvelopes));
    case 'GetRPCMethodsResponse':
      return wrap(m.method, strings('MethodList', m.methodList));
    case 'KickedResponse':
      return wrap(m.method, el('NextURL', m.nextUrl));
    case 'TransferCompleteResponse':
    case 'AutonomousTransferCompleteResponse':
    case 'RequestDownloadResponse':
      return wrap(m.method, '');
  }
}

/** SOAP Fault with the CWMP detail (TR-069 A.5). faultcode follows the table; 'Server' for unknown codes. */
function fault(m: FaultMessage): string {
  const soap = isFaultCode(m.faultCode) ? FAULTS[m.faultCode].soap : 'Server';
  const spv = m.setParameterValuesFault
    .map(
      (f) =>
        `<SetParameterValuesFault>${el('ParameterName', f.name)}${el('FaultCode', f.code)}${el('FaultString', f.message ?? FAULTS[f.code].text)}</SetParameterValuesFault>`,
    )
    .join('');
  return (
    `<soap-env:Fault><faultcode>${soap}</faultcode><faultstring>CWMP fault</faultstring><detail>` +
    `<cwmp:Fault>${el('FaultCode', m.faultCode)}${el('FaultString', m.faultString)}${spv}</cwmp:Fault></detail></soap-env:Fault>`
  );
}

const CPE_REQUESTS = new Set([
  'SetParameterValues', 'GetParameterValues', 'GetParameterNames', 'SetParameterAttributes', 'GetParameterAttributes',
  'AddObject', 'DeleteObject', 'Reboot', 'FactoryReset', 'Download', 'Upload', 'ScheduleInform', 'ScheduleDownload',
  'CancelTransfer', 'GetQueuedTransfers', 'GetAllQueuedTransfers',
]);
const ACS_REQUESTS = new Set(['Inform', 'TransferComplete', 'AutonomousTransferComplete', 'RequestDownload', 'Kicked']);
const ACS_RESPONSES = new Set([
  'InformResponse', 'TransferCompleteResponse', 'AutonomousTransferCompleteResponse', 'RequestDownloadResponse', 'KickedResponse',
]);

/** The body element of any message. GetRPCMethods / GetRPCMethodsResponse encode alike in both directions. */
export function encodeMessage(m: CwmpMessage): string {
  if (m.method === 'Fault') return fault(m);
  if (m.method === 'GetRPCMethods') return wrap(m.method, '');
  if (m.method === 'GetRPCMethodsResponse') return wrap(m.method, strings('MethodList', m.methodList));
  if (CPE_REQUESTS.has(m.method)) return cpeRequest(m as CpeRequest);
  if (ACS_REQUESTS.has(m.method)) return acsRequest(m as AcsRequest);
  if (ACS_RESPONSES.has(m.method)) return acsResponse(m as AcsResponse);
  return cpeResponse(m as CpeResponse);
}
