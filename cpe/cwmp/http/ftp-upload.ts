/** FTP / FTPS (explicit AUTH TLS, as the HT813's FTPS method) upload for TR-069 Upload (A.4.1.5), via basic-ftp. */
import { Readable } from 'node:stream';
import net from 'node:net';
import tls from 'node:tls';
import { Client, FTPError } from 'basic-ftp';
import { CwmpFault } from '../faults';

export interface FtpUploadOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly body: Buffer;
  readonly ca?: readonly string[];
  readonly verify?: boolean;
  readonly timeoutMs?: number;
}

export async function ftpUpload(o: FtpUploadOptions): Promise<void> {
  const u = new URL(o.url);
  const secure = u.protocol === 'ftps:';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const client = new Client(o.timeoutMs ?? 60_000);
  const secureOptions: tls.ConnectionOptions = { rejectUnauthorized: o.verify !== false };
  if (o.ca && o.ca.length > 0) secureOptions.ca = [...o.ca];
  if (!net.isIP(host)) secureOptions.servername = host;
  try {
    await client.access({
      host,
      port: u.port ? Number(u.port) : 21,
      user: o.username || 'anonymous',
      password: o.username ? o.password : 'anonymous@',
      secure,
      secureOptions,
    });
    await client.uploadFrom(Readable.from(o.body), decodeURIComponent(u.pathname));
  } catch (e) {
    if (e instanceof FTPError && e.code === 530) throw new CwmpFault(9012, 'FTP login refused');
    throw new CwmpFault(9011, e instanceof Error ? e.message : String(e));
  } finally {
    client.close();
  }
}
