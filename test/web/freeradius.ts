/**
 * FreeRADIUS 3.2 as a real RADIUS server for integration tests (.ci/deps/radius.list): in the
 * foreground (-X: debug output on stdout, no fork) with a minimal configuration of its own written
 * to a temp dir (no copy of /etc/freeradius), on 127.0.0.1 on a free port:
 *   - one client, 127.0.0.0/8, with the shared secret given;
 *   - users in the `files` module with Cleartext-Password, checked by `pap`, and a reply
 *     GS-Access-Level, a Grandstream (42397) Vendor-Specific attribute of type 1, from a small
 *     local dictionary;
 *   - every reply signed with Message-Authenticator (FreeRADIUS 3.2.1 signs only when told to),
 *     except for users whose name starts with "legacy" (a server from before CVE-2024-3596).
 * Stopped by process group (peer.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { haveCommand, startPeer, type Peer } from '../support/peer';
import { freePort, udpBound } from '../support/ports';

export interface RadiusUser {
  readonly name: string;
  readonly password: string;
  /** GS-Access-Level value, if any. */
  readonly level?: string;
}

export interface FreeRadius {
  readonly port: number;
  readonly peer: Peer;
  stop(): Promise<void>;
}

/** FreeRADIUS's `users` file quoting: backslash and double quote escaped. */
function quoted(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export async function startFreeRadius(dir: string, secret: string, users: readonly RadiusUser[]): Promise<FreeRadius> {
  if (!haveCommand('freeradius')) throw new Error('freeradius is not installed: apt-get install --no-install-recommends freeradius (listed in .ci/deps/radius.list)');
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'dictionary'),
    `VENDOR Grandstream 42397
BEGIN-VENDOR Grandstream
ATTRIBUTE GS-Access-Level 1 string
END-VENDOR Grandstream
`,
  );
  fs.writeFileSync(
    path.join(dir, 'users'),
    users.map((u) => `${u.name} Cleartext-Password := ${quoted(u.password)}\n${u.level !== undefined ? `\tGS-Access-Level = ${quoted(u.level)}\n` : ''}`).join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'radiusd.conf'),
    `prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
confdir = ${dir}
raddbdir = ${dir}
localstatedir = ${dir}
logdir = ${dir}
run_dir = ${dir}
db_dir = ${dir}
libdir = /usr/lib/freeradius
dictdir = /usr/share/freeradius
pidfile = ${dir}/radiusd.pid
name = freeradius
max_request_time = 10
cleanup_delay = 2
max_requests = 256
hostname_lookups = no
log {
  destination = stdout
  colourise = no
  auth = yes
}
security {
  allow_core_dumps = no
  max_attributes = 200
  reject_delay = 0
  status_server = no
}
client loopback {
  ipaddr = 127.0.0.0/8
  secret = ${quoted(secret)}
}
modules {
  files {
    filename = ${dir}/users
  }
  pap {
  }
}
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${port}
  }
  authorize {
    files
    pap
  }
  authenticate {
    Auth-Type PAP {
      pap
    }
  }
  post-auth {
    if (User-Name !~ /^legacy/) {
      update reply {
        Message-Authenticator := 0x00
      }
    }
    Post-Auth-Type REJECT {
      update reply {
        Message-Authenticator := 0x00
      }
    }
  }
}
`,
  );
  const peer = await startPeer('freeradius', ['-X', '-d', dir], { ready: async (out) => out.includes('Ready to process requests') && (await udpBound(port)), timeoutMs: 15_000 });
  return { port, peer, stop: () => peer.stop() };
}
