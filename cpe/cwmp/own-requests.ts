/**
 * The requests the unit makes of the ACS in one session (TR-069 §3.7.1.3, A.4.1–A.4.2), in order:
 * GetRPCMethods (once per ACS URL, when an optional method is about to be used), Kicked (a browser
 * waits), TransferComplete, AutonomousTransferComplete, RequestDownload. Each carries what to do
 * once the ACS acknowledged or refused it.
 */
import type { Logger } from '../shared/logger';
import { safeJson } from './attributes';
import type { AutonomousTransfers } from './autonomous-transfers';
import type { DownloadRequests } from './download-requests';
import type { EventQueue, KeyValueState } from './events';
import { isWebUrl, type PendingKick } from './kicks';
import type { CpeOwnRequest } from './session';
import type { TransferQueue } from './transfers';

export interface OwnRequestDeps {
  readonly state: KeyValueState;
  /** The ACS URL of this session. */
  readonly acsUrl: string;
  readonly log: Logger;
  readonly transfers: TransferQueue;
  readonly events: EventQueue;
  readonly autonomous: AutonomousTransfers;
  readonly downloadRequests: DownloadRequests;
}

/** Service-state key: the method list of the ACS last asked, with its URL. */
const KEY = 'acsMethods';

/**
 * Whether the ACS lists `method` in its GetRPCMethodsResponse (A.4.1.1); true while unknown (not
 * asked yet, or the ACS refused GetRPCMethods): then the request is simply tried.
 */
function acsSupports(d: OwnRequestDeps, method: string): boolean {
  const known = safeJson<{ url?: string; methods?: string[] }>(d.state.get(KEY), {});
  return known.url !== d.acsUrl || !Array.isArray(known.methods) || known.methods.length === 0 || known.methods.includes(method);
}

export function ownRequests(d: OwnRequestDeps, kicks: readonly PendingKick[]): CpeOwnRequest[] {
  const own: CpeOwnRequest[] = [];
  const asked = safeJson<{ url?: string }>(d.state.get(KEY), {}).url === d.acsUrl;
  if (!asked && (kicks.length > 0 || d.downloadRequests.pending().length > 0)) {
    const remember = (methods: readonly string[]): void => d.state.set(KEY, JSON.stringify({ url: d.acsUrl, methods }));
    own.push({
      message: { method: 'GetRPCMethods' },
      onAck: (resp) => remember(resp.method === 'GetRPCMethodsResponse' ? resp.methodList : []),
      // 8000 (method not supported): the ACS does not say; everything is tried.
      onFault: () => remember([]),
    });
  }
  for (const k of kicks) {
    own.push({
      message: k.message,
      onAck: (resp) => k.settle(resp.method === 'KickedResponse' && isWebUrl(resp.nextUrl) ? resp.nextUrl : undefined),
      onFault: () => k.settle(undefined),
      skip: () => {
        if (acsSupports(d, 'Kicked')) return false;
        d.log.warn('the ACS does not support Kicked: the browser goes to its Next URL');
        k.settle(undefined);
        return true;
      },
    });
  }
  for (const r of d.transfers.pendingResults()) {
    own.push({
      message: {
        method: 'TransferComplete',
        commandKey: r.commandKey,
        fault: { code: r.faultCode, string: r.faultString },
        startTime: r.startTime,
        completeTime: r.completeTime,
      },
      onAck: () => {
        d.transfers.acknowledge(r.commandKey);
        d.events.transferAcknowledged(r.commandKey, d.transfers.pendingResults().length > 0);
      },
    });
  }
  for (const a of d.autonomous.pending()) {
    own.push({
      message: a.message,
      onAck: () => {
        if (d.autonomous.acknowledge(a.id)) d.events.autonomousAcknowledged();
      },
    });
  }
  for (const r of d.downloadRequests.pending()) {
    const done = (): void => d.downloadRequests.done(r);
    own.push({
      message: { method: 'RequestDownload', fileType: r.fileType, fileTypeArg: r.fileTypeArg },
      onAck: done,
      // A refusal (8000 series) is final: asking again would be refused again.
      onFault: (code, message) => {
        d.log.warn({ fileType: r.fileType, faultCode: code, fault: message }, 'the ACS refused RequestDownload');
        done();
      },
      skip: () => {
        if (acsSupports(d, 'RequestDownload')) return false;
        d.log.warn({ fileType: r.fileType }, 'the ACS does not support RequestDownload: request dropped');
        done();
        return true;
      },
    });
  }
  return own;
}
