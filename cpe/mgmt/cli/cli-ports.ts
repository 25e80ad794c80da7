/**
 * What the console executor needs of its unit, as small ports, so it runs in tests without a store,
 * a device or a socket. The service adapts the real ones (store-cli-ports.ts).
 */
import type { AccessLevel, ApplyResult, ParamDef, ResetType } from '../../params/types';

/** The console's login levels, the web UI's three (user guide "Web UI Access Level Management"). */
export type ConsoleLevel = AccessLevel;

export interface CliParams {
  /** The catalogue entry; undefined for an unknown number. */
  def(id: number): ParamDef | undefined;
  /** The current value (the default when never set). */
  value(id: number): string;
  /** One validated atomic batch, source `cli`, checked against the writer's level. */
  apply(batch: ReadonlyArray<readonly [string, string]>, level: ConsoleLevel): ApplyResult;
  /** Why P88 forbids this reset, or undefined. */
  resetRefusal(type: ResetType): string | undefined;
}

/** What `status` prints, already in words (cpe/web/status-view.ts reads the status board). */
export interface CliStatus {
  readonly model: string;
  readonly mac: string;
  readonly firmware: string;
  readonly uptime: string;
  readonly accounts: ReadonlyArray<{ readonly account: number; readonly port: string; readonly registration: string }>;
  readonly fxsHook: string;
  readonly fxoLine: string;
}

export interface CliPorts {
  readonly params: CliParams;
  status(): CliStatus;
}

/** What the session does after printing a command's output. */
export type CliAction = { readonly kind: 'exit' } | { readonly kind: 'reboot' } | { readonly kind: 'reset'; readonly type: ResetType };

export interface CliResult {
  /** Lines ending in '\n' (the transport turns them into CR LF where needed). */
  readonly output: string;
  /** 0 done, 1 refused or failed, 2 usage error (as the ht813 command line). */
  readonly exitCode: 0 | 1 | 2;
  readonly action?: CliAction;
}
