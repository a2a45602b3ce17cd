import { containersOf, podSpecOf } from '../manifest';
import { ManifestCheck, ManifestRule } from '../types';

/** Least privilege: a compromised container should not own the node. */
export const securityRule: ManifestRule = object => {
  const podContext = podSpecOf(object)?.securityContext ?? {};
  return containersOf(object).flatMap(({ container, path }) => {
    const name = container.name ?? '(unnamed)';
    const context = container.securityContext ?? {};
    const checks: ManifestCheck[] = [];
    if (context.privileged === true) {
      checks.push({
        id: 'security-privileged',
        severity: 'error',
        path: `${path}.securityContext.privileged`,
        message: `Container ${name} runs privileged: it sees all the node's devices and has every capability, so whoever compromises this container owns the node.`,
        fix: `Remove securityContext.privileged. If it needs one kernel capability, add only that one under securityContext.capabilities.add.`,
        source:
          'kube-score: container-security-context-privileged · Polaris: runAsPrivileged · kube-linter: privileged-container',
      });
    }
    const runAsUser = context.runAsUser ?? podContext.runAsUser;
    const runAsNonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
    if (runAsUser === 0 || (runAsNonRoot !== true && !(runAsUser > 0))) {
      checks.push({
        id: 'security-run-as-root',
        severity: 'warning',
        path: `${path}.securityContext.runAsNonRoot`,
        message:
          runAsUser === 0
            ? `Container ${name} runs as root (runAsUser: 0): a container escape starts as root on the node.`
            : `Container ${name} may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set, so it runs as whatever user the image says — for most images, root.`,
        fix: `Build the image with a non-root USER and set securityContext.runAsNonRoot: true; the kubelet then refuses to start it as root.`,
        source:
          'kube-score: container-security-context-user-group-id · Polaris: runAsRootAllowed · kube-linter: run-as-non-root',
      });
    }
    if (context.readOnlyRootFilesystem !== true) {
      checks.push({
        id: 'security-writable-root-fs',
        severity: 'info',
        path: `${path}.securityContext.readOnlyRootFilesystem`,
        message: `Container ${name} can write to its root filesystem: an attacker can drop tools into it, and whatever the app writes there is lost on restart anyway.`,
        fix: `Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app really writes (/tmp, caches).`,
        source:
          'kube-score: container-security-context-readonlyrootfilesystem · Polaris: notReadOnlyRootFilesystem · kube-linter: no-read-only-root-fs',
      });
    }
    return checks;
  });
};
