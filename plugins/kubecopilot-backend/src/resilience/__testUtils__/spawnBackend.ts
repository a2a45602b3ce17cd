import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { ClusterAccess } from './backend';

/** A backend in a child process, see childBackend.ts. */
export interface ChildBackend {
  url: string;
  pid: number;
  /** SIGKILL, synchronously: the process gets no chance to do anything. */
  kill(): void;
  /** Resolves once the process is gone. */
  exited: Promise<void>;
}

/**
 * Spawns a backend running this package's sources (through Backstage's node
 * transform, as the demo cluster's bin does) on a SQLite file.
 */
export async function spawnBackend(options: {
  cluster: ClusterAccess;
  sqliteFile: string;
  timeoutMs?: number;
}): Promise<ChildBackend> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      resolve(__dirname, 'childBackend.ts'),
    ],
    {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        KUBECOPILOT_CHILD_BACKEND: JSON.stringify(options),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`child backend did not start in time:\n${stderr}`));
    }, options.timeoutMs ?? 45_000);
    let stdout = '';
    child.stdout!.on('data', chunk => {
      stdout += chunk;
      const match = /listening (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        done(Number(match[1]));
      }
    });
    child.once('exit', code => {
      clearTimeout(timer);
      fail(
        new Error(`child backend exited (${code}) before serving:\n${stderr}`),
      );
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    kill: () => {
      child.kill('SIGKILL');
    },
    exited,
  };
}
