import type { V1ContainerStateTerminated } from '@kubernetes/client-node';

/**
 * What a container's exit code means, in the words an SRE would use. Codes
 * above 128 are 128 + the signal that ended the process.
 */
export function explainExit(t: V1ContainerStateTerminated): string {
  const code = t.exitCode;
  if (t.reason === 'OOMKilled') {
    return 'the kernel killed it for exceeding its memory limit (OOMKilled)';
  }
  if (t.reason === 'StartError' || t.reason === 'ContainerCannotRun') {
    return 'the runtime could not start its command (wrong command, entrypoint or permissions in the image)';
  }
  switch (code) {
    case 0:
      return 'its process finished successfully, but a long-running container must keep running';
    case 1:
      return 'the application exited with a general error';
    case 2:
      return 'the application (or its shell) exited with a usage or application error';
    case 126:
      return 'its command was found but is not executable (permissions, or not a binary for this platform)';
    case 127:
      return 'its command was not found in the image (a wrong command/args path, or a binary the image lacks)';
    case 128:
      return 'the runtime could not start its command';
    case 134:
      return 'the process aborted (SIGABRT)';
    case 137:
      return 'it was killed with SIGKILL: by the OOM killer, or stopped forcibly after its grace period';
    case 139:
      return 'the process crashed with a segmentation fault (SIGSEGV)';
    case 143:
      return 'it was stopped with SIGTERM (asked to shut down) and exited';
    default:
      if (code > 128 && code < 160) {
        return `it was ended by signal ${code - 128}`;
      }
      return `the application exited with code ${code}`;
  }
}
