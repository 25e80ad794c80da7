/**
 * Kamailio as the registrar for integration tests (recipe: shared/reference/peers.md §1): the
 * config is generated into a temporary folder with free ports, optional TLS (a self-signed
 * certificate made with openssl), qop, and any number of users; started in the foreground and
 * stopped by pid.
 */
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPeer, type Peer } from '../../support/peer';
import { freePort } from '../../support/ports';

export interface Kamailio {
  dir: string;
  port: number;
  tlsPort: number;
  certPem: string;
  peer: Peer;
  /** `kamcmd ul.dump` output (the location table). */
  locations(): string;
  stop(): Promise<void>;
}

export interface KamailioOptions {
  tls?: boolean;
  qop?: boolean;
  /** username → password; default 1001/secret1001 and 1002/secret1002. */
  users?: Map<string, string>;
  children?: number;
  /** Also accept bench users u<N> / s<N> with password pw<N> (computed, not stored: thousands of users). */
  numberedUsers?: boolean;
  memoryMb?: number;
}

export async function startKamailio(o: KamailioOptions = {}): Promise<Kamailio> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-kam-'));
  fs.mkdirSync(path.join(dir, 'run'));
  const port = await freePort();
  const tlsPort = await freePort();
  const users = o.users ?? new Map([['1001', 'secret1001'], ['1002', 'secret1002']]);
  let certPem = '';
  if (o.tls) {
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      '-days', '30', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error('openssl could not make the test certificate');
    certPem = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    fs.writeFileSync(path.join(dir, 'tls.cfg'), [
      '[server:default]', 'method = TLSv1.2+', 'verify_certificate = no', 'require_certificate = no',
      `private_key = ${dir}/key.pem`, `certificate = ${dir}/cert.pem`, '',
      '[client:default]', 'method = TLSv1.2+', 'verify_certificate = no', 'require_certificate = no', '',
    ].join('\n'));
  }
  fs.writeFileSync(path.join(dir, 'kamailio.cfg'), config(port, tlsPort, users, o));
  const args = ['-DD', '-E', '-w', dir, '-Y', path.join(dir, 'run'), '-m', String(o.memoryMb ?? 64), '-M', '8', '-f', path.join(dir, 'kamailio.cfg')];
  const peer = await startPeer('kamailio', args, { cwd: dir, timeoutMs: 10_000, ready: () => optionsPing(port) });
  return {
    dir, port, tlsPort, certPem, peer,
    locations: () => spawnSync('kamcmd', ['-s', `unix:${dir}/run/kamailio_ctl`, 'ul.dump'], { encoding: 'utf8' }).stdout ?? '',
    stop: async () => {
      await peer.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function config(port: number, tlsPort: number, users: Map<string, string>, o: KamailioOptions): string {
  const fill = [...users].map(([u, p]) => `\t$sht(users=>${u}) = "${p}";`).join('\n');
  const size = Math.max(4, Math.ceil(Math.log2(users.size + 1)));
  return `#!KAMAILIO
#!define REALM "peers.test"
#!define CHFLAGS "${o.qop ? 1 : 0}"
debug=1
log_stderror=yes
children=${o.children ?? 2}
tcp_children=${o.children ?? 2}
auto_aliases=no
alias="localhost:${port}"
listen=udp:127.0.0.1:${port}
listen=tcp:127.0.0.1:${port}
${o.tls ? `enable_tls=yes\nlisten=tls:127.0.0.1:${tlsPort}` : ''}
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "htable.so"
loadmodule "ctl.so"
${o.tls ? 'loadmodule "tls.so"\nmodparam("tls", "config", "./tls.cfg")' : ''}
modparam("ctl", "binrpc", "unix:./run/kamailio_ctl")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "min_expires", 10)
modparam("rr", "enable_full_lr", 1)
modparam("htable", "htable", "users=>size=${size};")

event_route[htable:mod-init] {
${fill}
}

request_route {
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (!sanity_check("1511", "7")) { exit; }
	if (is_method("OPTIONS") && uri==myself && $rU==$null) { sl_send_reply("200", "Keepalive"); exit; }
	if (has_totag()) {
		if (loose_route()) { t_relay(); exit; }
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("REGISTER")) {
		route(AUTH);
		if (!save("location")) { sl_reply_error(); }
		exit;
	}
	if ($rU==$null) { sl_send_reply("484", "Address Incomplete"); exit; }
	if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
	t_relay();
}

route[AUTH] {
	if ($au == $null) { auth_challenge(REALM, CHFLAGS); exit; }
${o.numberedUsers ? '\tif ($au =~ "^[us][0-9]+$") { $var(pw) = "pw" + $(au{s.substr,1,0}); } else' : ''}
	if ($sht(users=>$au) != $null) { $var(pw) = $sht(users=>$au); } else {
		auth_challenge(REALM, CHFLAGS);
		exit;
	}
	if (!pv_auth_check(REALM, "$var(pw)", "0", "1")) {
		auth_challenge(REALM, CHFLAGS);
		exit;
	}
}
`;
}

/** True when a SIP OPTIONS to 127.0.0.1:port gets any answer within 200 ms. */
export function optionsPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const done = (ok: boolean): void => {
      clearTimeout(t);
      s.close();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), 200);
    s.on('message', () => done(true));
    s.on('error', () => done(false));
    s.bind(0, '127.0.0.1', () => {
      const p = s.address().port;
      const msg = `OPTIONS sip:127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${p};branch=z9hG4bK-ping${Date.now()}\r\nFrom: <sip:ping@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\nCall-ID: ping-${Date.now()}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
      s.send(msg, port, '127.0.0.1');
    });
  });
}
