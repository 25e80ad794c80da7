/**
 * A UdpSocket that carries SRTP or SRTCP (RFC 3711) for an RtpSession that speaks plain RTP:
 * what the session sends is protected with our keys, what arrives is authenticated and
 * decrypted with the peer's. A datagram that fails (bad tag, replay, too short) is dropped and
 * counted, never handed on (§3.3: authentication before anything else reads the packet).
 */
import type { UdpAddress, UdpSocket } from './udp-socket';

/** What the socket needs of an SRTP context (cpe/media/srtp). */
export interface SrtpTransform {
  protectRtp(packet: Uint8Array): Buffer;
  unprotectRtp(packet: Uint8Array): Buffer;
  protectRtcp(packet: Uint8Array): Buffer;
  unprotectRtcp(packet: Uint8Array): Buffer;
}

export interface SrtpDropCounter {
  /** Datagrams that failed unprotect (authentication, replay, malformed). */
  dropped: number;
}

export class SrtpSocket implements UdpSocket {
  readonly pin?: (peer: UdpAddress | undefined) => void;

  constructor(
    private readonly inner: UdpSocket,
    private readonly kind: 'rtp' | 'rtcp',
    private readonly tx: SrtpTransform,
    private readonly rx: SrtpTransform,
    private readonly counter: SrtpDropCounter,
  ) {
    const pin = inner.pin;
    if (pin) this.pin = (peer) => pin.call(inner, peer);
  }

  get local(): UdpAddress {
    return this.inner.local;
  }

  send(data: Uint8Array, to: UdpAddress): void {
    this.inner.send(this.kind === 'rtp' ? this.tx.protectRtp(data) : this.tx.protectRtcp(data), to);
  }

  onMessage(handler: (data: Buffer, from: UdpAddress) => void): void {
    this.inner.onMessage((d, from) => {
      let plain: Buffer;
      try {
        plain = this.kind === 'rtp' ? this.rx.unprotectRtp(d) : this.rx.unprotectRtcp(d);
      } catch {
        this.counter.dropped++;
        return;
      }
      handler(plain, from);
    });
  }

  close(): void {
    this.inner.close();
  }
}
