/**
 * A minimal SSH client for tests, driving an SshSession through a MemoryConn synchronously: it
 * runs curve25519-sha256 (or nistp256), checks the host key's signature over H with node's
 * Ed25519 verify, switches keys at NEWKEYS, authenticates and opens session channels. It shares
 * the codec with the server, so it proves the state machine, not interoperability (OpenSSH does).
 */
import assert from 'node:assert/strict';
import { createECDH, createPublicKey, verify } from 'node:crypto';
import type { CipherName, KexName } from '../../cpe/mgmt/ssh/algorithms';
import { exchangeHash, x25519Key } from '../../cpe/mgmt/ssh/kex';
import { directionKeys } from '../../cpe/mgmt/ssh/key-derivation';
import { MSG } from '../../cpe/mgmt/ssh/messages';
import { inboundCipher, outboundCipher } from '../../cpe/mgmt/ssh/packet-cipher';
import { PacketDecoder, PacketEncoder } from '../../cpe/mgmt/ssh/packet-codec';
import type { SshSession } from '../../cpe/mgmt/ssh/ssh-session';
import { SshReader, SshWriter } from '../../cpe/mgmt/ssh/wire';
import { SeededRandom } from '../../cpe/shared/random';
import type { MemoryConn } from './fixture';

export const CLIENT_VERSION = 'SSH-2.0-TestClient_1.0';

export interface ClientOptions {
  readonly kex?: KexName;
  readonly cipher?: CipherName;
  /** Offer kex-strict-c-v00@openssh.com. */
  readonly strict?: boolean;
}

export class TestSshClient {
  readonly enc = new PacketEncoder(new SeededRandom(99));
  readonly dec = new PacketDecoder();
  private versionSeen = false;
  private serverVersion: Buffer = Buffer.alloc(0);
  serverKexInit: Buffer = Buffer.alloc(0);
  hostKeyBlob: Buffer = Buffer.alloc(0);
  sessionId: Buffer | undefined;
  /** The reason code of a DISCONNECT received, if any. */
  disconnect: { reason: number; description: string } | undefined;

  constructor(
    readonly session: SshSession,
    readonly conn: MemoryConn,
    readonly opts: ClientOptions = {},
  ) {}

  /** Sends raw bytes. */
  raw(b: Buffer): void {
    this.session.receive(b);
  }

  send(payload: Buffer): void {
    this.session.receive(this.enc.encode(payload));
  }

  /** Every packet the server sent since the last call (DISCONNECT noted). */
  packets(): Buffer[] {
    let bytes = this.conn.take();
    if (!this.versionSeen) {
      const lf = bytes.indexOf(0x0a);
      if (lf < 0) return [];
      this.serverVersion = bytes.subarray(0, lf - 1);
      bytes = bytes.subarray(lf + 1);
      this.versionSeen = true;
    }
    this.dec.push(bytes);
    const out: Buffer[] = [];
    for (let p = this.dec.next(); p; p = this.dec.next()) {
      out.push(p);
      if (p[0] === MSG.DISCONNECT) {
        const r = new SshReader(p);
        r.byte();
        this.disconnect = { reason: r.uint32(), description: r.utf8() };
      }
    }
    return out;
  }

  kexInit(): Buffer {
    const kex = [this.opts.kex ?? 'curve25519-sha256', ...(this.opts.strict === false ? [] : ['kex-strict-c-v00@openssh.com'])];
    const cipher = this.opts.cipher ?? 'aes128-ctr';
    return new SshWriter()
      .byte(MSG.KEXINIT)
      .raw(Buffer.alloc(16, 0x11))
      .nameList(kex)
      .nameList(['ssh-ed25519'])
      .nameList([cipher])
      .nameList([cipher])
      .nameList(['hmac-sha2-256'])
      .nameList(['hmac-sha2-256'])
      .nameList(['none'])
      .nameList(['none'])
      .nameList([])
      .nameList([])
      .bool(false)
      .uint32(0)
      .toBuffer();
  }

  /** Version exchange and the first key exchange; throws when the server's signature is wrong. */
  handshake(): void {
    const ourKexInit = this.kexInit();
    this.raw(Buffer.from(`${CLIENT_VERSION}\r\n`));
    this.send(ourKexInit);
    const first = this.packets();
    assert.equal(this.serverVersion.toString(), 'SSH-2.0-GS_HT813');
    assert.equal(first[0]?.[0], MSG.KEXINIT);
    this.serverKexInit = first[0]!;
    this.exchange(ourKexInit);
  }

  /** A key re-exchange started by the client. */
  rekey(): void {
    const ourKexInit = this.kexInit();
    this.send(ourKexInit);
    const p = this.packets();
    assert.equal(p[0]?.[0], MSG.KEXINIT);
    this.serverKexInit = p[0]!;
    this.exchange(ourKexInit);
  }

  private exchange(ourKexInit: Buffer): void {
    const kex = this.opts.kex ?? 'curve25519-sha256';
    let qC: Buffer;
    let agree: (qS: Buffer) => Buffer;
    if (kex === 'ecdh-sha2-nistp256') {
      const e = createECDH('prime256v1');
      e.setPrivateKey(Buffer.alloc(32, 0x42));
      qC = e.getPublicKey();
      agree = (qS) => e.computeSecret(qS);
    } else {
      const k = x25519Key(Buffer.alloc(32, 0x42));
      qC = k.publicKey;
      agree = (qS) => k.agree(qS);
    }
    this.send(new SshWriter().byte(MSG.KEX_ECDH_INIT).string(qC).toBuffer());
    const [reply, newkeys] = this.packets();
    assert.equal(reply?.[0], MSG.KEX_ECDH_REPLY);
    assert.deepEqual(newkeys, Buffer.from([MSG.NEWKEYS]));
    const r = new SshReader(reply!);
    r.byte();
    this.hostKeyBlob = Buffer.from(r.string());
    const qS = r.string();
    const sigBlob = new SshReader(r.string());
    assert.equal(sigBlob.string().toString(), 'ssh-ed25519');
    const sig = sigBlob.string();
    const k = agree(qS);
    const h = exchangeHash({ vC: Buffer.from(CLIENT_VERSION), vS: this.serverVersion, iC: ourKexInit, iS: this.serverKexInit, kS: this.hostKeyBlob, qC, qS, k });
    const kb = new SshReader(this.hostKeyBlob);
    kb.string();
    const pub = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), kb.string()]), format: 'der', type: 'spki' });
    assert.equal(verify(null, h, pub, sig), true, 'the host key signed H');
    this.sessionId ??= h;
    const cipher = this.opts.cipher ?? 'aes128-ctr';
    const mac = cipher === 'aes256-gcm@openssh.com' ? undefined : 'hmac-sha2-256';
    const strict = this.opts.strict !== false;
    this.send(Buffer.from([MSG.NEWKEYS]));
    this.enc.setCipher(outboundCipher(directionKeys(k, h, this.sessionId, 'c2s', { cipher, mac })));
    if (strict) this.enc.seq = 0;
    this.dec.setCipher(inboundCipher(directionKeys(k, h, this.sessionId, 's2c', { cipher, mac })));
    if (strict) this.dec.seq = 0;
  }

  /** Service request and a password; the server's answer (52 success, 51 failure, or a DISCONNECT). */
  login(user: string, password: string): Buffer[] {
    if (!this.serviceAccepted) {
      this.send(new SshWriter().byte(MSG.SERVICE_REQUEST).string('ssh-userauth').toBuffer());
      const [accept] = this.packets();
      assert.equal(accept?.[0], MSG.SERVICE_ACCEPT);
      this.serviceAccepted = true;
    }
    this.send(new SshWriter().byte(MSG.USERAUTH_REQUEST).string(user).string('ssh-connection').string('password').bool(false).string(password).toBuffer());
    return this.packets();
  }
  private serviceAccepted = false;

  /** Opens a session channel (our id 7) with the given window; returns the server's channel id. */
  openSession(window = 1 << 20, maxPacket = 32768): number {
    this.send(new SshWriter().byte(MSG.CHANNEL_OPEN).string('session').uint32(7).uint32(window).uint32(maxPacket).toBuffer());
    const [conf] = this.packets();
    assert.equal(conf?.[0], MSG.CHANNEL_OPEN_CONFIRMATION);
    const r = new SshReader(conf!);
    r.byte();
    assert.equal(r.uint32(), 7);
    return r.uint32();
  }

  request(channel: number, type: string, wantReply: boolean, extra: Buffer = Buffer.alloc(0)): void {
    this.send(new SshWriter().byte(MSG.CHANNEL_REQUEST).uint32(channel).string(type).bool(wantReply).raw(extra).toBuffer());
  }

  data(channel: number, text: string): void {
    this.send(new SshWriter().byte(MSG.CHANNEL_DATA).uint32(channel).string(Buffer.from(text)).toBuffer());
  }

  /** Channel traffic of the packets since the last call: data as text, exit status, and the message numbers seen. */
  channelEvents(): { text: string; exit?: number; msgs: number[] } {
    let text = '';
    let exit: number | undefined;
    const msgs: number[] = [];
    for (const p of this.packets()) {
      msgs.push(p[0]!);
      const r = new SshReader(p);
      r.byte();
      if (p[0] === MSG.CHANNEL_DATA) {
        r.uint32();
        text += r.string().toString();
      } else if (p[0] === MSG.CHANNEL_REQUEST) {
        r.uint32();
        if (r.string().toString() === 'exit-status') {
          r.bool();
          exit = r.uint32();
        }
      }
    }
    return exit === undefined ? { text, msgs } : { text, exit, msgs };
  }

  /** exec one command on a new channel; its output and exit status. */
  exec(command: string): { text: string; exit?: number; msgs: number[] } {
    const ch = this.openSession();
    this.request(ch, 'exec', true, new SshWriter().string(command).toBuffer());
    const ev = this.channelEvents();
    this.send(new SshWriter().byte(MSG.CHANNEL_CLOSE).uint32(ch).toBuffer());
    this.packets();
    return ev;
  }
}
