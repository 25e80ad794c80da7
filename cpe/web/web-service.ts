/**
 * The web service of one unit: serves the WebUi over HTTP or HTTPS per P1650 (0 HTTPS, 1 HTTP),
 * on P901 / P27010 (plus ctx.ports.offset), unless the command line forces ctx.ports.web /
 * ctx.ports.https; bound to ctx.network.address. A P-value port the process may not bind (80 as
 * non-root, or taken) falls back to a free port, loudly; a forced port that fails fails the start.
 * Where it listens is readable as `urls()` and on the status board as 'web.urls'.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type tls from 'node:tls';
import { tlsVersions, TLS_VERSION_PVALUES } from '../shared/tls-versions';
import type { Service, ServiceContext, StopReason } from '../service';
import { loadOrCreateCertificate } from './certificate';
import type { RadiusDeps } from './radius/radius-login';
import { WebUi } from './web-ui';

declare module '../status' {
  interface StatusMap {
    /** Where the web UI listens, e.g. ['http://127.0.0.1:8080/']; empty while stopped. */
    'web.urls': readonly string[];
  }
}

type Scheme = 'http' | 'https';

export class WebService implements Service {
  readonly name = 'web';
  private server: http.Server | https.Server | undefined;
  private bound: string[] = [];
  private unsubscribe: (() => void) | undefined;
  private ui: WebUi | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    /** RADIUS login sockets and resolver; tests inject in-memory ones. */
    private readonly radius?: RadiusDeps,
  ) {}

  /** The URLs actually bound (empty before start / after stop). */
  urls(): readonly string[] {
    return [...this.bound];
  }

  /** The running UI (tests and benchmarks look at its sessions). */
  get webUi(): WebUi | undefined {
    return this.ui;
  }

  async start(): Promise<void> {
    const { store, ports, network, log } = this.ctx;
    const scheme: Scheme = store.get(1650) === '0' ? 'https' : 'http';
    const forced = scheme === 'https' ? ports.https : ports.web;
    const fromParams = (scheme === 'https' ? store.getInt(27010) : store.getInt(901)) + (ports.offset ?? 0);
    const ui = new WebUi(this.ctx, { secureCookies: scheme === 'https', radius: this.radius });
    const app = ui.app();
    let server: http.Server | https.Server;
    if (scheme === 'https') {
      const cert = loadOrCreateCertificate(path.join(this.ctx.dataDir, 'web'), this.ctx.identity.mac, network.address, this.ctx.clock.now(), this.ctx.random);
      if (cert.created) log.info({ dir: path.join(this.ctx.dataDir, 'web') }, 'web: made the unit HTTPS certificate (CN = MAC)');
      const context = (): tls.SecureContextOptions => ({ key: cert.keyPem, cert: cert.certPem, ...tlsVersions((id) => store.get(id)) });
      const secure = https.createServer(context(), app);
      // P22293/P22294 apply to the next handshake, no restart
      this.unsubscribe = store.subscribe((e) => {
        if (e.changes.some((c) => TLS_VERSION_PVALUES.includes(c.id))) secure.setSecureContext(context());
      });
      server = secure;
    } else {
      server = http.createServer(app);
    }
    server.headersTimeout = 10_000;
    server.requestTimeout = 60_000;
    server.keepAliveTimeout = 5_000;
    let port: number;
    try {
      port = await listen(server, forced ?? fromParams, network.address);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (forced !== undefined || (code !== 'EACCES' && code !== 'EADDRINUSE')) {
        ui.close();
        throw e;
      }
      port = await listen(server, 0, network.address);
      log.warn({ wanted: fromParams, code, port }, `web: cannot bind port ${fromParams} (${code}); listening on ${port} instead (use --web-port / --https-port)`);
    }
    this.server = server;
    this.ui = ui;
    this.bound = [`${scheme}://${hostForUrl(network.address)}:${port}/`];
    this.ctx.status.provide('web.urls', () => this.urls());
    log.info({ urls: this.bound }, 'web UI listening');
  }

  async stop(_reason: StopReason): Promise<void> {
    this.ctx.status.withdraw('web.urls');
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.ui?.close();
    this.ui = undefined;
    const server = this.server;
    this.server = undefined;
    this.bound = [];
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ port, host }, () => {
      server.off('error', onError);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

function hostForUrl(address: string): string {
  return net.isIPv6(address) ? `[${address}]` : address;
}

export const createWebService = (ctx: ServiceContext): WebService => new WebService(ctx);
