/**
 * CWMP messages as tagged unions (TR-069 Annex A; pattern of GenieACS lib/types.ts). One
 * `method` per RPC request or response; faults are their own message. Values are carried as the
 * strings that travel on the wire; `type` is the xsd type name without prefix.
 */
import type { FaultCode, ParameterFault } from '../faults';

/** Namespace suffix: urn:dslforum-org:cwmp-1-0 / -1-1 / -1-2 (1.3 and 1.4 keep cwmp-1-2). */
export type CwmpVersion = '1-0' | '1-1' | '1-2';
export const CWMP_VERSIONS: readonly CwmpVersion[] = ['1-0', '1-1', '1-2'];

export type XsdType = 'string' | 'int' | 'unsignedInt' | 'boolean' | 'dateTime' | 'base64' | 'long' | 'unsignedLong' | 'hexBinary';

export interface ParameterValue {
  readonly name: string;
  readonly value: string;
  readonly type: XsdType;
}

export interface ParameterInfo {
  readonly name: string;
  readonly writable: boolean;
}

export interface ParameterAttribute {
  readonly name: string;
  readonly notification: number;
  readonly accessList: readonly string[];
}

export interface SetAttributeEntry {
  readonly name: string;
  readonly notificationChange: boolean;
  readonly notification: number;
  readonly accessListChange: boolean;
  readonly accessList: readonly string[];
}

export interface EventStruct {
  readonly code: string;
  readonly commandKey: string;
}

export interface DeviceIdStruct {
  readonly manufacturer: string;
  readonly oui: string;
  readonly productClass: string;
  readonly serialNumber: string;
}

export interface FaultStruct {
  readonly code: number;
  readonly string: string;
}

export interface TimeWindow {
  readonly windowStart: number;
  readonly windowEnd: number;
  /** '1 At Any Time' | '2 Immediately' | '3 When Idle' | '4 Confirmation Needed' */
  readonly windowMode: string;
  readonly userMessage: string;
  readonly maxRetries: number;
}

export interface QueuedTransfer {
  readonly commandKey: string;
  /** 1 not yet started, 2 in progress, 3 completed */
  readonly state: 1 | 2 | 3;
}

export interface AllQueuedTransfer extends QueuedTransfer {
  readonly isDownload: boolean;
  readonly fileType: string;
  readonly fileSize: number;
  readonly targetFileName: string;
}

/** Requests the ACS sends and the CPE serves (TR-069 A.3.2, A.4.1). */
export type CpeRequest =
  | { method: 'GetRPCMethods' }
  | { method: 'SetParameterValues'; parameterList: readonly ParameterValue[]; parameterKey: string }
  | { method: 'GetParameterValues'; parameterNames: readonly string[] }
  | { method: 'GetParameterNames'; parameterPath: string; nextLevel: boolean }
  | { method: 'SetParameterAttributes'; parameterList: readonly SetAttributeEntry[] }
  | { method: 'GetParameterAttributes'; parameterNames: readonly string[] }
  | { method: 'AddObject'; objectName: string; parameterKey: string }
  | { method: 'DeleteObject'; objectName: string; parameterKey: string }
  | { method: 'Reboot'; commandKey: string }
  | { method: 'FactoryReset' }
  | {
      method: 'Download';
      commandKey: string;
      fileType: string;
      url: string;
      username: string;
      password: string;
      fileSize: number;
      targetFileName: string;
      delaySeconds: number;
      successUrl: string;
      failureUrl: string;
    }
  | { method: 'Upload'; commandKey: string; fileType: string; url: string; username: string; password: string; delaySeconds: number }
  | { method: 'ScheduleInform'; delaySeconds: number; commandKey: string }
  | {
      method: 'ScheduleDownload';
      commandKey: string;
      fileType: string;
      url: string;
      username: string;
      password: string;
      fileSize: number;
      targetFileName: string;
      timeWindowList: readonly TimeWindow[];
    }
  | { method: 'CancelTransfer'; commandKey: string }
  | { method: 'GetQueuedTransfers' }
  | { method: 'GetAllQueuedTransfers' };

export type CpeMethod = CpeRequest['method'];

/** Responses the CPE sends to those requests. */
export type CpeResponse =
  | { method: 'GetRPCMethodsResponse'; methodList: readonly string[] }
  | { method: 'SetParameterValuesResponse'; status: 0 | 1 }
  | { method: 'GetParameterValuesResponse'; parameterList: readonly ParameterValue[] }
  | { method: 'GetParameterNamesResponse'; parameterList: readonly ParameterInfo[] }
  | { method: 'SetParameterAttributesResponse' }
  | { method: 'GetParameterAttributesResponse'; parameterList: readonly ParameterAttribute[] }
  | { method: 'AddObjectResponse'; instanceNumber: number; status: 0 | 1 }
  | { method: 'DeleteObjectResponse'; status: 0 | 1 }
  | { method: 'RebootResponse' }
  | { method: 'FactoryResetResponse' }
  | { method: 'DownloadResponse'; status: 0 | 1; startTime: string; completeTime: string }
  | { method: 'UploadResponse'; status: 0 | 1; startTime: string; completeTime: string }
  | { method: 'ScheduleInformResponse' }
  | { method: 'ScheduleDownloadResponse' }
  | { method: 'CancelTransferResponse' }
  | { method: 'GetQueuedTransfersResponse'; transferList: readonly QueuedTransfer[] }
  | { method: 'GetAllQueuedTransfersResponse'; transferList: readonly AllQueuedTransfer[] };

/** Requests the CPE sends to the ACS (TR-069 A.3.3, A.4.2). */
export type AcsRequest =
  | {
      method: 'Inform';
      deviceId: DeviceIdStruct;
      event: readonly EventStruct[];
      maxEnvelopes: number;
      currentTime: string;
      retryCount: number;
      parameterList: readonly ParameterValue[];
    }
  | { method: 'TransferComplete'; commandKey: string; fault: FaultStruct; startTime: string; completeTime: string }
  | {
      method: 'AutonomousTransferComplete';
      announceUrl: string;
      transferUrl: string;
      isDownload: boolean;
      fileType: string;
      fileSize: number;
      targetFileName: string;
      fault: FaultStruct;
      startTime: string;
      completeTime: string;
    }
  | { method: 'GetRPCMethods' }
  | { method: 'RequestDownload'; fileType: string; fileTypeArg: readonly { name: string; value: string }[] }
  | { method: 'Kicked'; command: string; referer: string; arg: string; next: string };

/** Responses the ACS sends to those. */
export type AcsResponse =
  | { method: 'InformResponse'; maxEnvelopes: number }
  | { method: 'TransferCompleteResponse' }
  | { method: 'AutonomousTransferCompleteResponse' }
  | { method: 'GetRPCMethodsResponse'; methodList: readonly string[] }
  | { method: 'RequestDownloadResponse' }
  | { method: 'KickedResponse'; nextUrl: string };

export interface FaultMessage {
  readonly method: 'Fault';
  readonly faultCode: number;
  readonly faultString: string;
  readonly setParameterValuesFault: readonly ParameterFault[];
}

export type CwmpMessage = CpeRequest | CpeResponse | AcsRequest | AcsResponse | FaultMessage;

/** A body element naming a method this codec does not know (answered with fault 9000 / 8000). */
export interface UnknownMethod {
  readonly method: 'Unknown';
  readonly name: string;
}

/** A known method whose arguments could not be decoded (answered with fault 9003 / 8003). */
export interface InvalidMessage {
  readonly method: 'Invalid';
  readonly name: string;
  readonly reason: string;
}

export type DecodedBody = CwmpMessage | UnknownMethod | InvalidMessage;

/** What the encoder takes. */
export interface OutgoingEnvelope {
  readonly version: CwmpVersion;
  readonly id?: string;
  readonly holdRequests?: boolean;
  readonly sessionTimeout?: number;
  readonly supportedCwmpVersions?: string;
  readonly body: CwmpMessage | null;
}

export interface Envelope {
  readonly version: CwmpVersion;
  /** cwmp:ID; absent when the sender sent none (then the answer carries none either). */
  readonly id?: string;
  readonly holdRequests?: boolean;
  /** cwmp:SessionTimeout (CWMP 1.3), seconds. */
  readonly sessionTimeout?: number;
  /** cwmp:SupportedCWMPVersions (CWMP 1.4), e.g. "1.0,1.1,1.2,1.3,1.4". */
  readonly supportedCwmpVersions?: string;
  /** null = an envelope with an empty body. */
  readonly body: DecodedBody | null;
}

/** A faultcode-only view for building the wire form from the table. */
export function faultMessage(code: FaultCode, faultString: string, parameterFaults: readonly ParameterFault[] = []): FaultMessage {
  return { method: 'Fault', faultCode: code, faultString, setParameterValuesFault: parameterFaults };
}
