import { CwmpFault } from '../faults';
import { EV } from '../events';
import { UNKNOWN_TIME } from '../soap/envelope';
import type { RpcHandler } from './context';
import { checkTransferUrl } from './transfer-url';

/** A.4.1.5: FileType 1 config export (XML), 2 log file, by HTTP(S) PUT or FTP(S). */
export const upload: RpcHandler<'Upload'> = (req, { transfers, now }) => {
  if (!transfers.backend.uploadTypes.includes(req.fileType)) throw new CwmpFault(9003, `FileType ${JSON.stringify(req.fileType)} not supported`);
  checkTransferUrl(req.url);
  transfers.enqueue({
    commandKey: req.commandKey,
    isDownload: false,
    event: EV.M_UPLOAD,
    url: req.url,
    fileType: req.fileType,
    username: req.username,
    password: req.password,
    fileSize: 0,
    targetFileName: '',
    dueAt: now() + req.delaySeconds * 1000,
  });
  return { method: 'UploadResponse', status: 1, startTime: UNKNOWN_TIME, completeTime: UNKNOWN_TIME };
};
