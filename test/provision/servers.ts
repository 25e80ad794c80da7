/**
 * Real provisioning servers for integration tests (recipes: shared/reference/peers.md §4), each
 * on 127.0.0.1 on a free port with its own temp folder, stopped by pid: tftpd-hpa, nginx (HTTPS +
 * Basic), apache2 (HTTPS + Digest), vsftpd (FTP + explicit FTPS). A test CA made with openssl
 * signs the servers' certificate (SAN 127.0.0.1 and localhost).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { haveCommand, startPeer, type Peer } from '../support/peer';
import { freePort, tcpListening } from '../support/ports';

export interface TestPki {
  readonly caPem: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Signed by the same CA, for DNS:other.example only. */
  readonly otherCertFile: string;
  readonly otherKeyFile: string;
}

/** A CA and a server certificate it signed, made by the openssl command line. */
export function makeTestPki(dir: string): TestPki {
  const f = (n: string): string => path.join(dir, n);
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=HT813 provisioning test CA', '-keyout', f('ca.key'), '-out', f('ca.pem'));
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr'));
  fs.writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('ext.cnf'), '-out', f('server.pem'));
  fs.chmodSync(f('server.key'), 0o644);
  // A second certificate from the same CA for another name only (host name verification tests).
  fs.writeFileSync(f('other.cnf'), 'subjectAltName=DNS:other.example\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=other.example', '-keyout', f('other.key'), '-out', f('other.csr'));
  ssl('x509', '-req', '-in', f('other.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('other.cnf'), '-out', f('other.pem'));
  return {
    caPem: fs.readFileSync(f('ca.pem'), 'utf8'),
    certFile: f('server.pem'),
    keyFile: f('server.key'),
    otherCertFile: f('other.pem'),
    otherKeyFile: f('other.key'),
  };
}

export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(d, 0o755); // servers drop to nobody
  return d;
}

/** Writes files (name → bytes) world-readable under dir. */
export function publish(dir: string, files: Record<string, Buffer | string>): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const [name, data] of Object.entries(files)) {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true, mode: 0o755 });
    fs.writeFileSync(p, data, { mode: 0o644 });
  }
}

/** Root drops to nobody (as the recipes do); a non-root run keeps its own user. */
const ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const SELF = ROOT ? 'nobody' : (process.env.USER ?? 'nobody');

/** Removes the server's folder when it fails to start. */
async function cleanOnFailure<T>(dir: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

function requireCommand(cmd: string, pkg: string): void {
  if (!haveCommand(cmd)) throw new Error(`${cmd} is not installed: apt-get install ${pkg} (listed in .ci/deps/provision.list)`);
}

export interface Server {
  readonly port: number;
  readonly root: string;
  readonly peer: Peer;
  /** Extra ports (nginx/apache HTTPS). */
  readonly tlsPort?: number;
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startTftpd(): Promise<Server> {
  requireCommand('in.tftpd', 'tftpd-hpa');
  const dir = tempDir('prov-tftpd-');
  const root = path.join(dir, 'root');
  publish(root, {});
  const port = await freePort();
  const peer = await cleanOnFailure(dir, () => startPeer('in.tftpd', ['-L', '-4', '-a', `127.0.0.1:${port}`, '-s', root, '-u', SELF, '-v'], {
    ready: async () => {
      await new Promise((r) => setTimeout(r, 30));
      return true;
    },
  }));
  return { port, root, peer, dir, stop: async () => { await peer.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export async function startNginx(pki: TestPki, user: string, password: string): Promise<Server> {
  requireCommand('nginx', 'nginx');
  requireCommand('htpasswd', 'apache2-utils');
  const dir = tempDir('prov-nginx-');
  const root = path.join(dir, 'www');
  publish(root, {});
  for (const d of ['logs', 'tmp']) fs.mkdirSync(path.join(dir, d), { mode: 0o755 });
  execFileSync('htpasswd', ['-bcB', path.join(dir, 'htpasswd'), user, password], { stdio: 'ignore' });
  fs.chmodSync(path.join(dir, 'htpasswd'), 0o644);
  const port = await freePort();
  const tlsPort = await freePort();
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  log_format ua '$request_uri $status "$http_user_agent"';
  access_log ${dir}/logs/access.log ua;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  types { application/xml xml; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    listen 127.0.0.1:${tlsPort} ssl;
    ssl_certificate ${pki.certFile};
    ssl_certificate_key ${pki.keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    root ${root};
    location / { }
    location /prov/ { auth_basic "provisioning"; auth_basic_user_file ${dir}/htpasswd; }
    location ~ ^/moved/(.*)$ { return 302 /prov/$1; }
    location ~ ^/loop/(.*)$ { return 302 /loop/$1; }
  }
}
`,
  );
  const peer = await cleanOnFailure(dir, () => startPeer('nginx', ['-p', `${dir}/`, '-c', `${dir}/nginx.conf`, '-e', 'stderr', '-g', 'daemon off;'], {
    ready: async () => (await tcpListening(port)) && (await tcpListening(tlsPort)),
  }));
  return { port, tlsPort, root, peer, dir, stop: async () => { await peer.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export async function startApache(pki: TestPki, user: string, password: string): Promise<Server> {
  requireCommand('apache2', 'apache2');
  const dir = tempDir('prov-apache-');
  const root = path.join(dir, 'www');
  publish(root, {});
  fs.mkdirSync(path.join(dir, 'logs'), { mode: 0o755 });
  const realm = 'provisioning';
  const ha1 = createHash('md5').update(`${user}:${realm}:${password}`).digest('hex');
  fs.writeFileSync(path.join(dir, 'htdigest'), `${user}:${realm}:${ha1}\n`, { mode: 0o644 });
  const port = await freePort();
  const tlsPort = await freePort();
  const mods = ['mpm_event', 'authz_core', 'authz_user', 'authn_core', 'authn_file', 'auth_digest', 'mime', 'ssl', 'socache_shmcb'];
  fs.writeFileSync(
    path.join(dir, 'httpd.conf'),
    `ServerRoot "${dir}"
ServerName 127.0.0.1
PidFile ${dir}/logs/httpd.pid
Mutex file:${dir}/logs
ErrorLog ${dir}/logs/error.log
LogLevel warn
${mods.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`).join('\n')}
User nobody
Group nogroup
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
Listen 127.0.0.1:${port}
Listen 127.0.0.1:${tlsPort} https
TypesConfig /dev/null
AddType application/xml .xml
SSLSessionCache shmcb:${dir}/logs/ssl_scache(512000)
DocumentRoot "${root}"
<Directory "${root}">
  Require all granted
</Directory>
<Location "/prov/">
  AuthType Digest
  AuthName "${realm}"
  AuthDigestProvider file
  AuthUserFile ${dir}/htdigest
  AuthDigestDomain /prov/
  Require valid-user
</Location>
<VirtualHost 127.0.0.1:${tlsPort}>
  SSLEngine on
  SSLCertificateFile ${pki.certFile}
  SSLCertificateKeyFile ${pki.keyFile}
</VirtualHost>
`,
  );
  const peer = await cleanOnFailure(dir, () => startPeer('apache2', ['-d', dir, '-f', `${dir}/httpd.conf`, '-DFOREGROUND'], {
    ready: async () => (await tcpListening(port)) && (await tcpListening(tlsPort)),
    env: { ...process.env, APACHE_RUN_DIR: `${dir}/logs`, APACHE_LOCK_DIR: `${dir}/logs`, APACHE_LOG_DIR: `${dir}/logs` },
  }));
  return { port, tlsPort, root, peer, dir, stop: async () => { await peer.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

export async function startVsftpd(pki: TestPki): Promise<Server> {
  requireCommand('vsftpd', 'vsftpd');
  const dir = tempDir('prov-vsftpd-');
  const root = path.join(dir, 'root');
  publish(root, {});
  fs.mkdirSync(path.join(dir, 'empty'), { mode: 0o755 });
  const port = await freePort();
  const pasv = 41000 + Math.floor(Math.random() * 2000);
  fs.writeFileSync(
    path.join(dir, 'vsftpd.conf'),
    `listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=${port}
background=NO
anonymous_enable=YES
anon_root=${root}
no_anon_password=YES
local_enable=NO
write_enable=NO
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=${pasv}
pasv_max_port=${pasv + 50}
port_enable=YES
seccomp_sandbox=NO
secure_chroot_dir=${dir}/empty
ssl_enable=YES
allow_anon_ssl=YES
force_local_logins_ssl=NO
force_local_data_ssl=NO
force_anon_logins_ssl=NO
force_anon_data_ssl=NO
require_ssl_reuse=NO
ssl_ciphers=HIGH
rsa_cert_file=${pki.certFile}
rsa_private_key_file=${pki.keyFile}
xferlog_enable=NO
${ROOT ? '' : 'run_as_launching_user=YES\n'}`,
  );
  const peer = await cleanOnFailure(dir, () => startPeer('vsftpd', [`${dir}/vsftpd.conf`], { ready: () => tcpListening(port) }));
  return { port, root, peer, dir, stop: async () => { await peer.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}
