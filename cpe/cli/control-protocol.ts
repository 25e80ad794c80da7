/**
 * The local control protocol between `ht813 <command>` and a running unit on the same data
 * folder: one JSON request per line, one JSON response per line, over a Unix socket in the folder.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { AuditRecord, BatchEntryError, ResetType } from '../params/types';

export type ControlRequest =
  | { op: 'get'; ids: number[]; withSecrets: boolean }
  | { op: 'set'; batch: Array<[string, string]> }
  | { op: 'export'; withSecrets: boolean }
  | { op: 'audit'; limit: number }
  | { op: 'reset'; type: ResetType }
  | { op: 'request-download'; fileType: string; args: Array<{ name: string; value: string }> };

export type ControlResponse =
  | { ok: true; values?: Array<[number, string]>; changed?: number; rebootRequired?: boolean; audit?: AuditRecord[]; message?: string }
  | { ok: false; error: string; errors?: BatchEntryError[] };

/** Socket path for a data folder; long folders (Unix socket paths are limited to ~107 bytes) get one in the temp folder. */
export function controlSocketPath(dataDir: string): string {
  const inside = path.join(path.resolve(dataDir), 'control.sock');
  if (inside.length <= 100) return inside;
  const h = crypto.createHash('sha1').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `ht813-${h}.sock`);
}

/** Validates what came off the socket: the process never trusts a peer's JSON. */
export function parseControlRequest(line: string): ControlRequest {
  const v = JSON.parse(line) as Record<string, unknown>;
  switch (v.op) {
    case 'get':
      if (!Array.isArray(v.ids) || !v.ids.every((x) => Number.isInteger(x))) throw new Error('get: ids must be integers');
      return { op: 'get', ids: v.ids as number[], withSecrets: v.withSecrets === true };
    case 'set':
      if (!Array.isArray(v.batch) || !v.batch.every((e) => Array.isArray(e) && e.length === 2 && e.every((x) => typeof x === 'string'))) {
        throw new Error('set: batch must be [string, string] pairs');
      }
      return { op: 'set', batch: v.batch as Array<[string, string]> };
    case 'export':
      return { op: 'export', withSecrets: v.withSecrets === true };
    case 'audit':
      return { op: 'audit', limit: Number.isInteger(v.limit) ? (v.limit as number) : 100 };
    case 'reset':
      if (v.type !== 'full' && v.type !== 'isp' && v.type !== 'voip') throw new Error('reset: type must be full, isp or voip');
      return { op: 'reset', type: v.type };
    case 'request-download':
      if (typeof v.fileType !== 'string') throw new Error('request-download: fileType must be a string');
      if (!Array.isArray(v.args) || !v.args.every((a) => a && typeof a.name === 'string' && typeof a.value === 'string')) {
        throw new Error('request-download: args must be {name, value} strings');
      }
      return { op: 'request-download', fileType: v.fileType, args: (v.args as Array<{ name: string; value: string }>).map((a) => ({ name: a.name, value: a.value })) };
    default:
      throw new Error(`unknown op ${JSON.stringify(v.op)}`);
  }
}
