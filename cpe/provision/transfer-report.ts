/**
 * A file transfer the unit made on its own (boot or scheduled provisioning, firmware check), for
 * whoever reports them: the CWMP client turns them into AutonomousTransferComplete (TR-069 A.4.2.3).
 * Routine probes (a cfg<mac> the server does not have) are not transfers and are not reported.
 */
import type { FetchErrorKind } from './fetch/fetcher';
import type { FirmwareFailure } from './firmware/install';

export type TransferFailureKind = FetchErrorKind | FirmwareFailure | 'config-rejected';

export interface TransferReport {
  /** Autonomous provisioning only downloads. */
  readonly isDownload: true;
  readonly file: 'config' | 'firmware';
  /** Without credentials. */
  readonly url: string;
  readonly fileName: string;
  /** Bytes received (0 when the download failed). */
  readonly size: number;
  /** ms since epoch. */
  readonly startTime: number;
  readonly completeTime: number;
  readonly failure?: { readonly kind: TransferFailureKind; readonly message: string };
}

export type TransferListener = (r: TransferReport) => void;

/** The listeners of one unit's provisioner; a listener that throws does not stop the others. */
export class TransferReports {
  private readonly listeners = new Set<TransferListener>();

  subscribe(l: TransferListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit(r: TransferReport, onError: (e: unknown) => void): void {
    for (const l of this.listeners) {
      try {
        l(r);
      } catch (e) {
        onError(e);
      }
    }
  }
}
