/**
 * Where the unit looks for its files (reference §2; user guide "Configuration File Download"):
 * a server path from P237 (config) or P192 (firmware), either a bare `host[:port]/path` whose
 * scheme P212 picks or a full tftp/http/https/ftp/ftps URL; DHCP option 160 or 66 replaces both
 * servers when P145 = 1 (a bare option 66 host is a TFTP server, RFC 2132 §9.4). File names:
 * `<P234>cfg<mac><P235>`, `<P234>cfg<mac>.xml<P235>`, `<P234>cfg.xml<P235>`; firmware
 * `<P232>ht813fw.bin<P233>`. Pure functions of the settings.
 */
export const VIA_SCHEME: Readonly<Record<string, string>> = { '0': 'tftp', '1': 'http', '2': 'https', '3': 'ftp', '4': 'ftps' };
const SCHEMES = new Set(['tftp', 'http', 'https', 'ftp', 'ftps']);

export interface ServerSettings {
  /** P212 */
  readonly via: string;
  /** P237 */
  readonly configServer: string;
  /** P192 */
  readonly firmwareServer: string;
  /** P234 / P235 */
  readonly configPrefix: string;
  readonly configPostfix: string;
  /** P232 / P233 */
  readonly firmwarePrefix: string;
  readonly firmwarePostfix: string;
  /** P145 = 1 */
  readonly allowDhcpOverride: boolean;
  readonly dhcpOptions: ReadonlyMap<number, string>;
}

/** Reads the server settings from P-values (any `get(id)`-shaped reader). */
export function serverSettings(get: (id: number) => string, dhcpOptions: ReadonlyMap<number, string>): ServerSettings {
  return {
    via: get(212),
    configServer: get(237),
    firmwareServer: get(192),
    configPrefix: get(234),
    configPostfix: get(235),
    firmwarePrefix: get(232),
    firmwarePostfix: get(233),
    allowDhcpOverride: get(145) === '1',
    dhcpOptions,
  };
}

/** The DHCP-given server (option 160, else 66) when P145 allows it. */
export function dhcpServer(s: ServerSettings): string | undefined {
  if (!s.allowDhcpOverride) return undefined;
  const v = (s.dhcpOptions.get(160) ?? s.dhcpOptions.get(66))?.trim();
  if (!v) return undefined;
  // A bare host in option 66 names a TFTP server (RFC 2132 §9.4); a URL carries its own method.
  return /^[a-z]+:\/\//i.test(v) || s.dhcpOptions.has(160) ? v : `tftp://${v}`;
}

/**
 * The base URL (ending in '/') of a server path. Throws TypeError on a path that is not a URL
 * or carries a scheme we do not fetch.
 */
export function serverBase(path: string, via: string): URL {
  const p = path.trim();
  const shown = JSON.stringify(redact(p));
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(p);
  const scheme = m ? m[1]!.toLowerCase() : VIA_SCHEME[via];
  if (!scheme || !SCHEMES.has(scheme)) throw new TypeError(`server path ${shown}: scheme ${m ? m[1] : `P212=${via}`} not supported`);
  let u: URL;
  try {
    u = new URL(m ? `${scheme}${p.slice(m[1]!.length)}` : `${scheme}://${p}`);
  } catch {
    throw new TypeError(`server path ${shown} is not a valid URL`);
  }
  if (!u.hostname) throw new TypeError(`server path ${shown} has no host`);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  u.search = '';
  u.hash = '';
  return u;
}

/** The config server's base URL, or undefined when none is set. */
export function configServerBase(s: ServerSettings): URL | undefined {
  const p = dhcpServer(s) ?? s.configServer;
  return p.trim() === '' ? undefined : serverBase(p, s.via);
}

export function firmwareServerBase(s: ServerSettings): URL | undefined {
  const p = dhcpServer(s) ?? s.firmwareServer;
  return p.trim() === '' ? undefined : serverBase(p, s.via);
}

export interface ConfigFileName {
  readonly name: string;
  readonly kind: 'binary' | 'mac-xml' | 'generic-xml';
}

/** The three config file names in request order (reference §2, postfix after the extension). */
export function configFileNames(s: ServerSettings, mac: string): ConfigFileName[] {
  const m = mac.toLowerCase();
  const pre = s.configPrefix;
  const post = s.configPostfix;
  return [
    { name: `${pre}cfg${m}${post}`, kind: 'binary' },
    { name: `${pre}cfg${m}.xml${post}`, kind: 'mac-xml' },
    { name: `${pre}cfg.xml${post}`, kind: 'generic-xml' },
  ];
}

export function firmwareFileName(s: ServerSettings, model: string): string {
  return `${s.firmwarePrefix}${model.toLowerCase()}fw.bin${s.firmwarePostfix}`;
}

/** base + file name (the name is percent-encoded as one path segment). */
export function fileUrl(base: URL, name: string): URL {
  return new URL(encodeURIComponent(name).replace(/%2F/gi, '/'), base);
}

/** A server path as logged: without `user:password@`. */
export function redact(p: string): string {
  return p.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1');
}
