/**
 * CWMP fault codes and their texts: the one table (TR-069 A.5.1 CPE faults, A.5.2 ACS faults).
 * `soap` is the SOAP faultcode the fault travels with (TR-069 Table 41: Client = the request was
 * at fault, Server = the CPE could not do it).
 */
import { HtError } from '../shared/errors';

export type FaultCode =
  | 8000 | 8001 | 8002 | 8003 | 8004 | 8005 | 8006
  | 9000 | 9001 | 9002 | 9003 | 9004 | 9005 | 9006 | 9007 | 9008 | 9009 | 9010
  | 9011 | 9012 | 9013 | 9014 | 9015 | 9016 | 9017 | 9018 | 9019 | 9020 | 9021;

export interface FaultInfo {
  readonly text: string;
  readonly soap: 'Client' | 'Server';
}

export const FAULTS: Readonly<Record<FaultCode, FaultInfo>> = {
  8000: { text: 'Method not supported', soap: 'Server' },
  8001: { text: 'Request denied', soap: 'Server' },
  8002: { text: 'Internal error', soap: 'Server' },
  8003: { text: 'Invalid arguments', soap: 'Client' },
  8004: { text: 'Resources exceeded', soap: 'Server' },
  8005: { text: 'Retry request', soap: 'Server' },
  8006: { text: 'ACS version incompatible with CPE', soap: 'Server' },
  9000: { text: 'Method not supported', soap: 'Server' },
  9001: { text: 'Request denied', soap: 'Server' },
  9002: { text: 'Internal error', soap: 'Server' },
  9003: { text: 'Invalid arguments', soap: 'Client' },
  9004: { text: 'Resources exceeded', soap: 'Server' },
  9005: { text: 'Invalid parameter name', soap: 'Client' },
  9006: { text: 'Invalid parameter type', soap: 'Client' },
  9007: { text: 'Invalid parameter value', soap: 'Client' },
  9008: { text: 'Attempt to set a non-writable parameter', soap: 'Client' },
  9009: { text: 'Notification request rejected', soap: 'Server' },
  9010: { text: 'File transfer failure', soap: 'Server' },
  9011: { text: 'Upload failure', soap: 'Server' },
  9012: { text: 'File transfer server authentication failure', soap: 'Server' },
  9013: { text: 'Unsupported protocol for file transfer', soap: 'Server' },
  9014: { text: 'File transfer failure: unable to join multicast group', soap: 'Server' },
  9015: { text: 'File transfer failure: unable to contact file server', soap: 'Server' },
  9016: { text: 'File transfer failure: unable to access file', soap: 'Server' },
  9017: { text: 'File transfer failure: unable to complete download', soap: 'Server' },
  9018: { text: 'File transfer failure: file corrupted', soap: 'Server' },
  9019: { text: 'File transfer failure: file authentication failure', soap: 'Server' },
  9020: { text: 'File transfer failure: unable to complete download within specified time windows', soap: 'Server' },
  9021: { text: 'Cancelation of file transfer not permitted in current transfer state', soap: 'Client' },
};

export function faultText(code: FaultCode): string {
  return FAULTS[code].text;
}

export function isFaultCode(n: number): n is FaultCode {
  return Object.prototype.hasOwnProperty.call(FAULTS, n);
}

/** One per-parameter entry of a SetParameterValues fault (TR-069 A.5.1, SetParameterValuesFault). */
export interface ParameterFault {
  readonly name: string;
  readonly code: FaultCode;
  /** Defaults to the table text when absent. */
  readonly message?: string;
}

/** A fault the CPE answers with. `detail` names what went wrong; the wire text is the table's. */
export class CwmpFault extends HtError {
  readonly fault: FaultCode;
  readonly parameterFaults: readonly ParameterFault[];
  constructor(fault: FaultCode, detail?: string, parameterFaults: readonly ParameterFault[] = []) {
    super(`ERR_CWMP_${fault}`, detail ? `${faultText(fault)}: ${detail}` : faultText(fault));
    this.fault = fault;
    this.parameterFaults = parameterFaults;
  }
}
