/**
 * AutonomousTransferComplete (TR-069 A.4.2.3): transfers the unit made on its own, filtered by
 * Device.ManagementServer.AutonomousTransferCompletePolicy when they complete, persisted until
 * the ACS acknowledged each (a firmware install reboots the unit before any session).
 */
import type { DataModel } from '../datamodel';
import { MS_STATE } from '../datamodel';
import { formatDateTime } from './soap/envelope';
import type { TransferReport } from '../provision/transfer-report';
import { safeJson } from './attributes';
import type { KeyValueState } from './events';
import type { AcsRequest } from './soap/types';
import { faultText } from './faults';
import { FT_CONFIG, FT_FIRMWARE } from './transfer-backend';
import { transferFault } from './transfer-faults';

export type AutonomousTransferMessage = Extract<AcsRequest, { method: 'AutonomousTransferComplete' }>;

interface Queued {
  readonly id: number;
  readonly message: AutonomousTransferMessage;
}

const KEY = 'autonomousTransfers';
/** Reports kept while the ACS is unreachable; the oldest give way (a daily check must not grow it forever). */
export const MAX_QUEUED = 16;

export class AutonomousTransfers {
  private list: Queued[];

  constructor(
    private readonly state: KeyValueState,
    private readonly dm: DataModel,
  ) {
    this.list = safeJson<Queued[]>(state.get(KEY), []).filter((q) => q && typeof q.id === 'number' && q.message?.method === 'AutonomousTransferComplete');
  }

  /** Queues the report when the policy asks for it; true when queued. */
  record(r: TransferReport): boolean {
    const setting = (s: { key: string; dflt: string }): string => this.dm.stateValue(s.key, s.dflt);
    if (setting(MS_STATE.atcEnable) !== 'true') return false;
    const transfer = setting(MS_STATE.atcTransferTypeFilter);
    if (transfer !== 'Both' && transfer !== (r.isDownload ? 'Download' : 'Upload')) return false;
    const result = setting(MS_STATE.atcResultTypeFilter);
    if (result !== 'Both' && result !== (r.failure ? 'Failure' : 'Success')) return false;
    const fileType = r.file === 'firmware' ? FT_FIRMWARE : FT_CONFIG;
    const types = setting(MS_STATE.atcFileTypeFilter).split(',').filter((t) => t !== '');
    if (types.length > 0 && !types.includes(fileType)) return false;
    const code = r.failure ? transferFault(r.failure.kind) : undefined;
    const message: AutonomousTransferMessage = {
      method: 'AutonomousTransferComplete',
      announceUrl: '',
      transferUrl: r.url,
      isDownload: r.isDownload,
      fileType,
      fileSize: r.size,
      targetFileName: r.fileName,
      fault: code === undefined || !r.failure ? { code: 0, string: '' } : { code, string: `${faultText(code)}: ${r.failure.message}`.slice(0, 256) },
      startTime: formatDateTime(r.startTime),
      completeTime: formatDateTime(r.completeTime),
    };
    const id = (this.list.at(-1)?.id ?? 0) + 1;
    this.list = [...this.list, { id, message }].slice(-MAX_QUEUED);
    this.save();
    return true;
  }

  pending(): ReadonlyArray<{ readonly id: number; readonly message: AutonomousTransferMessage }> {
    return this.list;
  }

  /** The ACS acknowledged report `id`; true when none is left. */
  acknowledge(id: number): boolean {
    this.list = this.list.filter((q) => q.id !== id);
    this.save();
    return this.list.length === 0;
  }

  private save(): void {
    this.state.set(KEY, JSON.stringify(this.list));
  }
}
