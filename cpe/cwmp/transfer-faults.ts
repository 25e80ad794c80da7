/**
 * Why a transfer failed, as the FaultStruct code of TransferComplete and AutonomousTransferComplete
 * (TR-069 A.3.3.1 / A.5.1: 9010–9019).
 */
import type { FetchErrorKind } from '../provision/fetch/fetcher';
import type { FirmwareFailure } from '../provision/firmware/install';
import type { TransferFailureKind } from '../provision/transfer-report';
import type { FaultCode } from './faults';

export const FETCH_FAULT: Readonly<Record<FetchErrorKind, FaultCode>> = {
  'not-found': 9016,
  auth: 9012,
  timeout: 9017,
  'too-large': 9017,
  unreachable: 9015,
  tls: 9015,
  server: 9016,
  protocol: 9017,
  unsupported: 9013,
};

export const FIRMWARE_FAULT: Readonly<Record<FirmwareFailure, FaultCode>> = {
  decode: 9018,
  model: 9018,
  integrity: 9018,
  'untrusted-key': 9019,
  signature: 9019,
  io: 9010,
};

export function transferFault(kind: TransferFailureKind): FaultCode {
  if (kind === 'config-rejected') return 9018;
  return (FETCH_FAULT as Record<string, FaultCode>)[kind] ?? (FIRMWARE_FAULT as Record<string, FaultCode>)[kind] ?? 9010;
}
