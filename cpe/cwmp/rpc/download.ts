import { CwmpFault } from '../faults';
import { EV } from '../events';
import { UNKNOWN_TIME } from '../soap/envelope';
import type { RpcHandler } from './context';
import { checkTransferUrl } from './transfer-url';

/**
 * A.3.2.8: queued, started after DelaySeconds; Status 1 (not yet done) with unknown times, the
 * outcome reported later by TransferComplete. FileType 1 firmware and 3 config file only.
 */
export const download: RpcHandler<'Download'> = (req, { transfers, now }) => {
  if (!transfers.backend.downloadTypes.includes(req.fileType)) throw new CwmpFault(9003, `FileType ${JSON.stringify(req.fileType)} not supported`);
  checkTransferUrl(req.url);
  transfers.enqueue({
    commandKey: req.commandKey,
    isDownload: true,
    event: EV.M_DOWNLOAD,
    url: req.url,
    fileType: req.fileType,
    username: req.username,
    password: req.password,
    fileSize: req.fileSize,
    targetFileName: req.targetFileName,
    dueAt: now() + req.delaySeconds * 1000,
  });
  return { method: 'DownloadResponse', status: 1, startTime: UNKNOWN_TIME, completeTime: UNKNOWN_TIME };
};
