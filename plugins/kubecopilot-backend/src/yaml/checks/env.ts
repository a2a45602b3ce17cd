import { looksLikeCredential } from '../../changes/params';
import { containersOf } from '../manifest';
import { ManifestRule } from '../types';

/**
 * A credential written into a workload is readable by everyone who can read
 * the workload, its ReplicaSets and its history. The same test as plans use.
 */
export const envSecretsRule: ManifestRule = object =>
  containersOf(object, ['initContainers', 'containers']).flatMap(
    ({ container, path }) =>
      ((container.env as any[]) ?? []).flatMap((entry, j) => {
        if (
          typeof entry?.value !== 'string' ||
          entry.value === '' ||
          !looksLikeCredential(String(entry.name ?? ''), entry.value)
        ) {
          return [];
        }
        const name = entry.name;
        return [
          {
            id: 'env-secret-literal',
            severity: 'error' as const,
            path: `${path}.env[${j}].value`,
            message: `Container ${container.name} sets ${name} as a literal value that looks like a credential: anyone who can read this workload, its ReplicaSets or kubectl's history can read it, and rotating it means a rollout.`,
            fix: `Put the value in a Secret and reference it: env: [{ name: ${name}, valueFrom: { secretKeyRef: { name: <secret>, key: ${name} } } }]. KubeCopilot never puts credentials into plans, so this change is made in your repository.`,
            source: 'kube-linter: env-var-secret',
          },
        ];
      }),
  );
