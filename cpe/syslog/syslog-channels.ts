/**
 * The real channels to a syslog server, wired by the syslog service: a UDP socket (RFC 5426, one
 * message per datagram) or a TLS connection (RFC 5425: TLS 1.2 or later, the server certificate
 * verified against the trusted CAs and the configured name). Sent from the unit's own address
 * when that can reach the server (fleets on loopback addresses).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { bindSocket, literalLookup } from '../shared/bind-udp';
import { localAddressFor } from '../shared/local-address';
import type { ChannelEvents, ChannelTarget, SyslogChannel, SyslogConnector } from './syslog-sink';

/** Datagrams handed to the socket and not yet sent, before send() says "wait". */
const UDP_IN_FLIGHT = 64;

export function socketConnector(unitAddress: string): SyslogConnector {
  return (to, events) => (to.protocol === 'udp' ? udpChannel(to, events, unitAddress) : tlsChannel(to, events, unitAddress));
}

function udpChannel(to: ChannelTarget, ev: ChannelEvents, unitAddress: string): SyslogChannel {
  const family = net.isIPv6(to.address) ? 6 : 4;
  const s = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', lookup: literalLookup(family) as never });
  /** closed: no more events; the socket itself goes once bound and its last datagram is out. */
  let closed = false;
  let bound = false;
  let released = false;
  let inFlight = 0;
  let full = false;
  const release = (): void => {
    if (released || !bound || inFlight > 0) return;
    released = true;
    s.close();
  };
  const local = localAddressFor(unitAddress, to.address);
  bindSocket(s, { port: 0, ...(local ? { address: local } : {}) }).then(
    () => {
      bound = true;
      if (closed) return release();
      s.on('error', (e) => {
        if (closed) return;
        closed = true;
        release();
        ev.onClose(`udp ${to.address}:${to.port}: ${e.message}`);
      });
      ev.onReady();
    },
    (e: Error) => {
      released = true; // bindSocket closed it
      if (closed) return;
      closed = true;
      ev.onClose(`udp bind ${local ?? '*'}: ${e.message}`);
    },
  );
  return {
    send(frame) {
      inFlight++;
      s.send(frame, to.port, to.address, (err) => {
        inFlight--;
        if (closed) return release();
        ev.onSent(!err);
        if (full && inFlight <= UDP_IN_FLIGHT / 2) {
          full = false;
          ev.onDrain();
        }
      });
      if (inFlight >= UDP_IN_FLIGHT) full = true;
      return !full;
    },
    close() {
      if (closed) return;
      closed = true;
      release();
    },
  };
}

function tlsChannel(to: ChannelTarget, ev: ChannelEvents, unitAddress: string): SyslogChannel {
  const local = localAddressFor(unitAddress, to.address);
  const s = tls.connect({
    host: to.address,
    port: to.port,
    servername: net.isIP(to.serverName) ? undefined : to.serverName,
    ...(local ? { localAddress: local } : {}),
    ...(to.ca ? { ca: [...to.ca] } : {}),
    minVersion: 'TLSv1.2', // RFC 5425 §4.2
    ...(to.tlsMax ? { maxVersion: to.tlsMax } : {}), // P22294
    rejectUnauthorized: true,
    // RFC 5425 §5.2: the name the operator configured (P207), not the address it resolved to
    checkServerIdentity: (_host, cert) => tls.checkServerIdentity(to.serverName, cert),
  });
  let closed = false;
  let secure = false;
  const fail = (reason: string): void => {
    if (closed) return;
    closed = true;
    s.destroy();
    ev.onClose(reason);
  };
  s.once('secureConnect', () => {
    secure = true;
    if (!closed) ev.onReady();
  });
  s.on('drain', () => {
    if (!closed) ev.onDrain();
  });
  s.on('data', () => undefined); // RFC 5425: the server sends nothing back
  s.on('error', (e) => fail(`tls ${to.address}:${to.port}: ${e.message}`));
  s.on('close', () => fail(`tls ${to.address}:${to.port}: closed by the server`));
  return {
    send(frame) {
      return s.write(frame, (err) => {
        if (!closed) ev.onSent(!err);
      });
    },
    close() {
      if (closed) return;
      closed = true;
      s.on('error', () => undefined);
      // what is written still goes out (close_notify after it), then the socket is let go;
      // a handshake still in progress has nothing to deliver
      if (!secure) return void s.destroy();
      s.end(() => s.destroy());
      s.setTimeout(5000, () => s.destroy()); // a server that reads nothing does not keep it
    },
  };
}
