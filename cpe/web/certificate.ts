/**
 * The unit's own HTTPS certificate: self-signed, CN = the WAN MAC, made once (the first boot that
 * serves HTTPS) and kept in `${dataDir}/web/`. The RSA key comes from node:crypto (native, fast);
 * node-forge builds and signs the X.509 certificate.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import forge from 'node-forge';
import type { Random } from '../shared/random';

export interface UnitCertificate {
  readonly keyPem: string;
  readonly certPem: string;
  /** True when it was made just now. */
  readonly created: boolean;
}

const KEY_FILE = 'key.pem';
const CERT_FILE = 'cert.pem';
const VALID_YEARS = 20;

export function loadOrCreateCertificate(dir: string, mac: string, address: string, now: number, random: Random): UnitCertificate {
  const keyFile = path.join(dir, KEY_FILE);
  const certFile = path.join(dir, CERT_FILE);
  if (fs.existsSync(keyFile) && fs.existsSync(certFile)) {
    const keyPem = fs.readFileSync(keyFile, 'utf8');
    const certPem = fs.readFileSync(certFile, 'utf8');
    if (matches(certPem, mac)) return { keyPem, certPem, created: false };
  }
  const made = makeCertificate(mac, address, now, random);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(keyFile, made.keyPem, { mode: 0o600 });
  fs.writeFileSync(certFile, made.certPem, { mode: 0o644 });
  return { ...made, created: true };
}

/** A certificate for this MAC (another unit's folder copied over gets a fresh one). */
function matches(certPem: string, mac: string): boolean {
  try {
    const cert = forge.pki.certificateFromPem(certPem);
    return cert.subject.getField('CN')?.value === mac;
  } catch {
    return false;
  }
}

export function makeCertificate(mac: string, address: string, now: number, random: Random): { keyPem: string; certPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const serial = random.bytes(16);
  serial[0] = serial[0]! & 0x7f; // positive (RFC 5280 §4.1.2.2)
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + VALID_YEARS * 365.25 * 86_400_000);
  const attrs = [
    { name: 'commonName', value: mac },
    { name: 'organizationName', value: 'Grandstream' },
    { shortName: 'OU', value: 'HT813' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const altNames: Array<{ type: number; value?: string; ip?: string }> = [{ type: 2, value: 'localhost' }];
  if (net.isIP(address)) altNames.push({ type: 7, ip: address });
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}
