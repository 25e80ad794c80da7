import { CwmpFault } from '../faults';

const URL_SCHEMES = /^(https?|ftps?|tftp):\/\//i;

/** URL checks shared by Download, Upload and ScheduleDownload: 256 characters, a transfer scheme (9013 otherwise). */
export function checkTransferUrl(url: string): void {
  if (url.length > 256) throw new CwmpFault(9003, 'URL longer than 256 characters');
  if (!URL_SCHEMES.test(url)) throw new CwmpFault(9013, url.replace(/\/\/[^@/]*@/, '//'));
}
