import type { ConfigReference } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';

type Via = ConfigReference['via'][number];
type Kind = ConfigReference['kind'];

/** A reference before existence is known. */
export type PendingReference = Omit<
  ConfigReference,
  'exists' | 'keys' | 'objectKeys' | 'message'
> & { keys: string[] };

/**
 * Every ConfigMap and Secret a pod spec uses — `env[].valueFrom`, `envFrom`,
 * `volumes` (configMap, secret, projected sources) and `imagePullSecrets` —
 * merged per object: how it is used, by which containers, which keys are
 * named, and whether every use is optional.
 */
export function configReferencesOf(
  spec: V1PodSpec | undefined,
): PendingReference[] {
  const refs = new Map<string, PendingReference>();
  const add = (
    kind: Kind,
    name: string | undefined,
    use: { via: Via; container?: string; key?: string; optional?: boolean },
  ) => {
    if (!name) return;
    const id = `${kind}/${name}`;
    const ref = refs.get(id) ?? {
      kind,
      name,
      via: [],
      containers: [],
      optional: true,
      keys: [],
    };
    if (!ref.via.includes(use.via)) ref.via.push(use.via);
    if (use.container && !ref.containers.includes(use.container)) {
      ref.containers.push(use.container);
    }
    if (use.key && !ref.keys.includes(use.key)) ref.keys.push(use.key);
    ref.optional = ref.optional && !!use.optional;
    refs.set(id, ref);
  };

  const containers: V1Container[] = [
    ...(spec?.initContainers ?? []),
    ...(spec?.containers ?? []),
  ];
  // Which containers mount each volume, so a volume's object names them too.
  const mountedBy = new Map<string, string[]>();
  for (const c of containers) {
    for (const m of c.volumeMounts ?? []) {
      mountedBy.set(m.name, [...(mountedBy.get(m.name) ?? []), c.name]);
    }
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const secret = e.valueFrom?.secretKeyRef;
      if (cm) {
        add('ConfigMap', cm.name, {
          via: 'env',
          container: c.name,
          key: cm.key,
          optional: cm.optional,
        });
      }
      if (secret) {
        add('Secret', secret.name, {
          via: 'env',
          container: c.name,
          key: secret.key,
          optional: secret.optional,
        });
      }
    }
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef) {
        add('ConfigMap', e.configMapRef.name, {
          via: 'envFrom',
          container: c.name,
          optional: e.configMapRef.optional,
        });
      }
      if (e.secretRef) {
        add('Secret', e.secretRef.name, {
          via: 'envFrom',
          container: c.name,
          optional: e.secretRef.optional,
        });
      }
    }
  }
  for (const v of spec?.volumes ?? []) {
    const users = mountedBy.get(v.name) ?? [undefined];
    const each = (
      kind: Kind,
      name: string | undefined,
      via: Via,
      optional: boolean | undefined,
      items: Array<{ key: string }> | undefined,
    ) => {
      for (const container of users) {
        add(kind, name, { via, container, optional });
        for (const item of items ?? []) {
          add(kind, name, { via, container, key: item.key, optional });
        }
      }
    };
    if (v.configMap) {
      each(
        'ConfigMap',
        v.configMap.name,
        'volume',
        v.configMap.optional,
        v.configMap.items,
      );
    }
    if (v.secret) {
      each(
        'Secret',
        v.secret.secretName,
        'volume',
        v.secret.optional,
        v.secret.items,
      );
    }
    for (const source of v.projected?.sources ?? []) {
      if (source.configMap) {
        each(
          'ConfigMap',
          source.configMap.name,
          'projected',
          source.configMap.optional,
          source.configMap.items,
        );
      }
      if (source.secret) {
        each(
          'Secret',
          source.secret.name,
          'projected',
          source.secret.optional,
          source.secret.items,
        );
      }
    }
  }
  for (const s of spec?.imagePullSecrets ?? []) {
    // The kubelet pulls without a missing pull secret, so it is optional in effect.
    add('Secret', s.name, { via: 'imagePullSecret', optional: true });
  }
  return [...refs.values()];
}

/**
 * Objects every pod gets from the cluster (the service account token's CA
 * bundle): listing them on every workload says nothing.
 */
export const isImplicitReference = (ref: { kind: Kind; name: string }) =>
  ref.kind === 'ConfigMap' && ref.name === 'kube-root-ca.crt';
