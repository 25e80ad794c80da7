/**
 * The agent's UDP socket behind a small interface, so tests may hand the service another. The real
 * one is node:dgram on the unit's address (RFC 3417 §2: SNMP over UDP).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { bindSocket, literalLookup } from '../shared/bind-udp';

export interface Sender {
  readonly address: string;
  readonly port: number;
}

export interface SnmpSocket {
  /** The bound port (the configured one, or the one picked for port 0). */
  readonly port: number;
  send(bytes: Buffer, port: number, address: string): void;
  close(): void;
}

export type SnmpSocketFactory = (
  address: string,
  port: number,
  onMessage: (datagram: Buffer, from: Sender) => void,
  onError: (e: Error) => void,
) => Promise<SnmpSocket>;

export const udpSocketFactory: SnmpSocketFactory = async (address, port, onMessage, onError) => {
  const family = net.isIPv6(address) ? 6 : 4;
  const s = dgram.createSocket({ type: family === 6 ? 'udp6' : 'udp4', lookup: literalLookup(family) });
  s.on('message', (m, r) => onMessage(m, { address: r.address, port: r.port }));
  await bindSocket(s, { address, port });
  s.on('error', onError);
  let open = true;
  return {
    port: s.address().port,
    send: (bytes, p, a) => {
      if (open) s.send(bytes, p, a, (e) => e && onError(e));
    },
    close: () => {
      if (!open) return;
      open = false;
      s.close();
    },
  };
};
