import { CwmpFault } from '../faults';
import { EV } from '../events';
import type { RpcHandler } from './context';
import { checkTransferUrl } from './transfer-url';

/** A.4.1.8: one or two time windows (seconds from now); the transfer runs in the first usable one. */
export const scheduleDownload: RpcHandler<'ScheduleDownload'> = (req, { transfers, now }) => {
  if (!transfers.backend.downloadTypes.includes(req.fileType)) throw new CwmpFault(9003, `FileType ${JSON.stringify(req.fileType)} not supported`);
  checkTransferUrl(req.url);
  const w = req.timeWindowList;
  if (w.length < 1 || w.length > 2) throw new CwmpFault(9003, 'TimeWindowList must hold one or two windows');
  for (const [i, x] of w.entries()) {
    if (x.windowEnd < x.windowStart) throw new CwmpFault(9003, `window ${i + 1} ends before it starts`);
    const prev = w[i - 1];
    if (prev && x.windowStart < prev.windowEnd) throw new CwmpFault(9003, 'windows overlap');
    if (!/^[1-4] /.test(x.windowMode) && !/^X /.test(x.windowMode)) throw new CwmpFault(9003, `WindowMode ${JSON.stringify(x.windowMode)}`);
    if (x.windowMode.startsWith('4 ')) throw new CwmpFault(9003, 'a unit without a user interface cannot ask for confirmation');
  }
  const t0 = now();
  const windows = w.map((x) => ({ start: t0 + x.windowStart * 1000, end: t0 + x.windowEnd * 1000 }));
  transfers.enqueue({
    commandKey: req.commandKey,
    isDownload: true,
    event: EV.M_SCHEDULE_DOWNLOAD,
    url: req.url,
    fileType: req.fileType,
    username: req.username,
    password: req.password,
    fileSize: req.fileSize,
    targetFileName: req.targetFileName,
    dueAt: windows[0]!.start,
    windows,
  });
  return { method: 'ScheduleDownloadResponse' };
};
