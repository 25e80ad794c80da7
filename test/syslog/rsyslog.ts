/**
 * rsyslogd as a real syslog server for integration tests: in the foreground (-n) with its own
 * config, pid file and work folder in a temp dir, on 127.0.0.1: imudp on `udpPort` (RFC 5426),
 * imtcp with the gtls stream driver on `tlsPort` (RFC 5425, server certificate from the test
 * PKI, clients not asked for one). What it receives is written to `file`, one line per message,
 * as rsyslog parsed it: `hostname|app-name|msgid|severity|input|structured-data|msg` (control
 * characters in MSG appear as #012, rsyslog's default escaping).
 */
import fs from 'node:fs';
import path from 'node:path';
import { haveCommand, startPeer, type Peer } from '../support/peer';
import { freePort, tcpListening, udpBound } from '../support/ports';
import type { TestPki } from '../provision/servers';

export interface Rsyslog {
  readonly udpPort: number;
  readonly tlsPort: number;
  readonly file: string;
  readonly peer: Peer;
  /** What it wrote so far. */
  lines(): string[];
  stop(): Promise<void>;
}

export interface ReceivedLine {
  hostname: string;
  appName: string;
  msgId: string;
  severity: number;
  input: string;
  structuredData: string;
  msg: string;
}

export function parseLine(line: string): ReceivedLine {
  const [hostname = '', appName = '', msgId = '', severity = '', input = '', structuredData = '', ...rest] = line.split('|');
  return { hostname, appName, msgId, severity: Number(severity), input, structuredData, msg: rest.join('|') };
}

export async function startRsyslog(dir: string, pki: TestPki): Promise<Rsyslog> {
  if (!haveCommand('rsyslogd')) throw new Error('rsyslogd is not installed: apt-get install rsyslog rsyslog-gnutls (listed in .ci/deps/syslog.list)');
  const port = await freePort();
  const udpPort = port;
  const tlsPort = port + 1;
  const work = path.join(dir, 'work');
  fs.mkdirSync(work, { recursive: true });
  const file = path.join(dir, 'received.log');
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, pki.caPem);
  const conf = path.join(dir, 'rsyslog.conf');
  fs.writeFileSync(
    conf,
    `global(workDirectory="${work}" maxMessageSize="16k"
  defaultNetstreamDriver="gtls"
  defaultNetstreamDriverCAFile="${caFile}"
  defaultNetstreamDriverCertFile="${pki.certFile}"
  defaultNetstreamDriverKeyFile="${pki.keyFile}")
module(load="imudp")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imudp" address="127.0.0.1" port="${udpPort}")
input(type="imtcp" address="127.0.0.1" port="${tlsPort}")
template(name="fields" type="string" string="%hostname%|%app-name%|%msgid%|%syslogseverity%|%inputname%|%structured-data%|%msg%\\n")
action(type="omfile" file="${file}" template="fields")
`,
  );
  const peer = await startPeer('rsyslogd', ['-n', '-f', conf, '-i', path.join(dir, 'rsyslogd.pid')], {
    ready: async () => (await tcpListening(tlsPort)) && (await udpBound(udpPort)),
    timeoutMs: 10_000,
  });
  return {
    udpPort,
    tlsPort,
    file,
    peer,
    lines: () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []),
    stop: () => peer.stop(),
  };
}
