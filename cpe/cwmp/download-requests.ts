/**
 * RequestDownload (TR-069 A.4.2.2): the unit asks the ACS to start a Download of a file type.
 * Requests are persisted until the ACS acknowledged or refused each; one per file type.
 */
import { safeJson } from './attributes';
import type { KeyValueState } from './events';

export interface DownloadRequestEntry {
  readonly fileType: string;
  readonly fileTypeArg: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

const KEY = 'downloadRequests';
/** TR-069 A.4.2.2: FileType is one of A.3.2.8's download types, or a vendor "X <OUI> name". */
const FILE_TYPE = /^(?:[1-5] [A-Za-z ]+|X [0-9A-F]{6} [ -~]{1,50})$/;
export const MAX_FILE_TYPE_ARGS = 16;

/** A message naming what is wrong with a request, or undefined. */
export function downloadRequestProblem(r: DownloadRequestEntry): string | undefined {
  if (r.fileType.length > 64 || !FILE_TYPE.test(r.fileType)) return `FileType "${r.fileType}" is not a download file type ("1 Firmware Upgrade Image", "3 Vendor Configuration File", "X <OUI> name")`;
  if (r.fileTypeArg.length > MAX_FILE_TYPE_ARGS) return `at most ${MAX_FILE_TYPE_ARGS} FileTypeArg entries`;
  const bad = r.fileTypeArg.find((a) => a.name === '' || a.name.length > 64 || a.value.length > 256);
  return bad ? `FileTypeArg "${bad.name}": name 1–64 characters, value at most 256` : undefined;
}

export class DownloadRequests {
  private list: DownloadRequestEntry[];

  constructor(private readonly state: KeyValueState) {
    this.list = safeJson<DownloadRequestEntry[]>(state.get(KEY), []).filter((r) => r && typeof r.fileType === 'string' && Array.isArray(r.fileTypeArg));
  }

  /** A newer request for the same file type replaces the older one. */
  add(r: DownloadRequestEntry): void {
    this.list = [...this.list.filter((x) => x.fileType !== r.fileType), r];
    this.save();
  }

  pending(): readonly DownloadRequestEntry[] {
    return this.list;
  }

  /** Answered (acknowledged or refused by the ACS): no longer pending. */
  done(r: DownloadRequestEntry): void {
    this.list = this.list.filter((x) => x !== r);
    this.save();
  }

  private save(): void {
    this.state.set(KEY, JSON.stringify(this.list));
  }
}
