/** A throwaway CA and a server certificate for 127.0.0.1, made with openssl in a temporary folder. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestPki {
  readonly caPem: string;
  readonly key: string;
  readonly cert: string;
  /** A client certificate (CN = the test unit's MAC) and its key, issued by the same CA. */
  readonly clientKey: string;
  readonly clientCert: string;
}

export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-pki-'));
  const f = (n: string): string => path.join(dir, n);
  const ossl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ossl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=HT813 Test CA');
  ossl('req', ...ec, '-keyout', f('srv.key'), '-out', f('srv.csr'), '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(f('ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  ossl('x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('srv.pem'), '-days', '2', '-extfile', f('ext'));
  ossl('req', ...ec, '-keyout', f('cli.key'), '-out', f('cli.csr'), '-subj', '/CN=000b82123456');
  fs.writeFileSync(f('cliext'), 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  ossl('x509', '-req', '-in', f('cli.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('cli.pem'), '-days', '2', '-extfile', f('cliext'));
  const out = {
    caPem: fs.readFileSync(f('ca.pem'), 'utf8'),
    key: fs.readFileSync(f('srv.key'), 'utf8'),
    cert: fs.readFileSync(f('srv.pem'), 'utf8'),
    clientKey: fs.readFileSync(f('cli.key'), 'utf8'),
    clientCert: fs.readFileSync(f('cli.pem'), 'utf8'),
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}
