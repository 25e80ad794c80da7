import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** True when a command exists on this machine (peers are installed by .ci/run; a dev machine may lack one). */
export function haveCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export interface Peer {
  readonly proc: ChildProcess;
  readonly pid: number;
  output(): string;
  /** Stops the peer and every process it forked (SIGTERM to its process group, SIGKILL after 2 s). */
  stop(): Promise<void>;
}

/**
 * Starts a third-party peer in the foreground as our child. `ready` is polled until it returns
 * true (or the peer exits, or timeoutMs passes, which rejects with the peer's output).
 */
export async function startPeer(
  cmd: string,
  args: string[],
  opts: { ready?: (out: string) => boolean | Promise<boolean>; timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Peer> {
  // its own process group: a peer that forks workers (kamailio, nginx) is stopped with all of them,
  // where a signal to its pid alone could leave orphaned workers holding our pipes and its ports
  const proc = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let exited = false;
  let closed = false;
  proc.on('exit', () => (exited = true));
  proc.on('close', () => (closed = true));
  const signalGroup = (sig: NodeJS.Signals): void => {
    try {
      if (proc.pid !== undefined) process.kill(-proc.pid, sig);
    } catch {
      proc.kill(sig); // the group is gone already
    }
  };
  const peer: Peer = {
    proc,
    pid: proc.pid ?? -1,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        // the group may outlive its leader: signal it even when the leader has exited
        if (closed) {
          signalGroup('SIGKILL');
          return resolve();
        }
        const t = setTimeout(() => signalGroup('SIGKILL'), 2000);
        // 'close': the leader exited and every process holding its stdio pipes is gone
        proc.once('close', () => {
          clearTimeout(t);
          signalGroup('SIGKILL');
          resolve();
        });
        signalGroup('SIGTERM');
      }),
  };
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  for (;;) {
    if (exited) throw new Error(`${cmd} exited before it was ready:\n${out}`);
    if (!opts.ready || (await opts.ready(out))) return peer;
    if (Date.now() > deadline) {
      await peer.stop();
      throw new Error(`${cmd} not ready after ${opts.timeoutMs ?? 5000} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
