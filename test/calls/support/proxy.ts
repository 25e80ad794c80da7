/**
 * Kamailio as a record-routing registrar/proxy for call tests and the calls benchmark (peers.md
 * §1): REGISTER with digest (users u<N>/s<N> with password pw<N>, and named users), INVITEs
 * relayed to the registered contact with Record-Route so ACK, BYE, re-INVITE and REFER of the
 * dialog pass through it. Free port, foreground, stopped by pid.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { optionsPing } from '../../sip/support/kamailio';
import { startPeer, type Peer } from '../../support/peer';
import { freePort } from '../../support/ports';

export interface Proxy {
  port: number;
  peer: Peer;
  stop(): Promise<void>;
}

export async function startProxy(users: Map<string, string> = new Map(), children = 4): Promise<Proxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht813-proxy-'));
  const port = await freePort();
  const fill = [...users].map(([u, p]) => `\t$sht(users=>${u}) = "${p}";`).join('\n');
  fs.writeFileSync(
    path.join(dir, 'kamailio.cfg'),
    `#!KAMAILIO
debug=1
log_stderror=yes
children=${children}
auto_aliases=no
alias="localhost:${port}"
listen=udp:127.0.0.1:${port}
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "sanity.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "htable.so"
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("rr", "enable_full_lr", 1)
modparam("htable", "htable", "users=>size=6;")

${fill ? `event_route[htable:mod-init] {\n${fill}\n}` : ''}

request_route {
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (!sanity_check("1511", "7")) { exit; }
	if (is_method("OPTIONS") && uri==myself && $rU==$null) { sl_send_reply("200", "Keepalive"); exit; }
	if (has_totag()) {
		if (loose_route()) { t_relay(); exit; }
		if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
	if (is_method("REGISTER")) {
		route(AUTH);
		if (!save("location")) { sl_reply_error(); }
		exit;
	}
	if ($rU==$null) { sl_send_reply("484", "Address Incomplete"); exit; }
	if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
	if (is_method("INVITE|SUBSCRIBE|REFER")) { record_route(); }
	t_relay();
}

route[AUTH] {
	if ($au == $null) { auth_challenge("peers.test", "0"); exit; }
	if ($au =~ "^[us][0-9]+$") { $var(pw) = "pw" + $(au{s.substr,1,0}); } else
	if ($sht(users=>$au) != $null) { $var(pw) = $sht(users=>$au); } else { auth_challenge("peers.test", "0"); exit; }
	if (!pv_auth_check("peers.test", "$var(pw)", "0", "1")) { auth_challenge("peers.test", "0"); exit; }
}
`,
  );
  fs.mkdirSync(path.join(dir, 'run'));
  let peer: Peer;
  try {
    peer = await startPeer('kamailio', ['-DD', '-E', '-w', dir, '-Y', path.join(dir, 'run'), '-m', '128', '-M', '8', '-f', path.join(dir, 'kamailio.cfg')], {
      cwd: dir,
      timeoutMs: 10_000,
      ready: () => optionsPing(port),
    });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port,
    peer,
    stop: async () => {
      await peer.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
