import type { ConfigReference } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { V1Container, V1PodSpec, V1Volume } from '@kubernetes/client-node';

type Via = ConfigReference['via'][number];
type Kind = ConfigReference['kind'];

/** A reference before existence is known. */
export type PendingReference = Omit<
  ConfigReference,
  'exists' | 'keys' | 'objectKeys' | 'message'
> & { keys: string[] };

type Use = { via: Via; container?: string; key?: string; optional?: boolean };

/** Merges one use of an object into its reference (created on first use). */
function addReference(
  refs: Map<string, PendingReference>,
  kind: Kind,
  name: string | undefined,
  use: Use,
): void {
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
}

/** Adds what one container's `env[].valueFrom` and `envFrom` use. */
function addContainerReferences(
  refs: Map<string, PendingReference>,
  c: V1Container,
): void {
  for (const e of c.env ?? []) {
    const cm = e.valueFrom?.configMapKeyRef;
    const secret = e.valueFrom?.secretKeyRef;
    if (cm) {
      addReference(refs, 'ConfigMap', cm.name, {
        via: 'env',
        container: c.name,
        key: cm.key,
        optional: cm.optional,
      });
    }
    if (secret) {
      addReference(refs, 'Secret', secret.name, {
        via: 'env',
        container: c.name,
        key: secret.key,
        optional: secret.optional,
      });
    }
  }
  for (const e of c.envFrom ?? []) {
    if (e.configMapRef) {
      addReference(refs, 'ConfigMap', e.configMapRef.name, {
        via: 'envFrom',
        container: c.name,
        optional: e.configMapRef.optional,
      });
    }
    if (e.secretRef) {
      addReference(refs, 'Secret', e.secretRef.name, {
        via: 'envFrom',
        container: c.name,
        optional: e.secretRef.optional,
      });
    }
  }
}

/**
 * Adds what one volume uses (configMap, secret, projected sources), once per
 * container that mounts it (`users`; `[undefined]` when none does).
 */
function addVolumeReferences(
  refs: Map<string, PendingReference>,
  v: V1Volume,
  users: Array<string | undefined>,
): void {
  const each = (
    kind: Kind,
    name: string | undefined,
    via: Via,
    optional: boolean | undefined,
    items: Array<{ key: string }> | undefined,
  ) => {
    for (const container of users) {
      addReference(refs, kind, name, { via, container, optional });
      for (const item of items ?? []) {
        addReference(refs, kind, name, {
          via,
          container,
          key: item.key,
          optional,
        });
      }
    }
  };
  if (v.configMap) {
    const cm = v.configMap;
    each('ConfigMap', cm.name, 'volume', cm.optional, cm.items);
  }
  if (v.secret) {
    const secret = v.secret;
    each('Secret', secret.secretName, 'volume', secret.optional, secret.items);
  }
  for (const source of v.projected?.sources ?? []) {
    if (source.configMap) {
      const cm = source.configMap;
      each('ConfigMap', cm.name, 'projected', cm.optional, cm.items);
    }
    if (source.secret) {
      const secret = source.secret;
      each('Secret', secret.name, 'projected', secret.optional, secret.items);
    }
  }
}

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
    addContainerReferences(refs, c);
  }
  for (const v of spec?.volumes ?? []) {
    addVolumeReferences(refs, v, mountedBy.get(v.name) ?? [undefined]);
  }
  for (const s of spec?.imagePullSecrets ?? []) {
    // The kubelet pulls without a missing pull secret, so it is optional in effect.
    addReference(refs, 'Secret', s.name, {
      via: 'imagePullSecret',
      optional: true,
    });
  }
  return [...refs.values()];
}

/**
 * Objects every pod gets from the cluster (the service account token's CA
 * bundle): listing them on every workload says nothing.
 */
export const isImplicitReference = (ref: { kind: Kind; name: string }) =>
  ref.kind === 'ConfigMap' && ref.name === 'kube-root-ca.crt';
