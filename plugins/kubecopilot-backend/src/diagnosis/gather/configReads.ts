import type {
  V1ConfigMap,
  V1Ingress,
  V1ObjectMeta,
  V1Pod,
  V1Secret,
} from '@kubernetes/client-node';
import { configReferencesOf, MissingObject, ObjectKeys } from '../../analyzers';
import { ObjectName, readNamed } from './namespaceLists';
import { ClusterReads, objectKey } from './reader';

type RefKind = 'ConfigMap' | 'Secret';

interface Wanted extends ObjectName {
  kind: RefKind;
  /** Referenced by key (`configMapKeyRef`/`secretKeyRef`): its key names matter. */
  keyed: boolean;
}

/** Every ConfigMap/Secret the pods reference, and the TLS Secrets of the Ingresses. */
function wantedObjects(pods: V1Pod[], ingresses: V1Ingress[]): Wanted[] {
  const byKey = new Map<string, Wanted>();
  const add = (w: Wanted) => {
    const k = objectKey(w.kind, w.namespace, w.name);
    const seen = byKey.get(k);
    byKey.set(k, seen ? { ...seen, keyed: seen.keyed || w.keyed } : w);
  };
  for (const pod of pods) {
    const namespace = pod.metadata?.namespace ?? '';
    for (const ref of configReferencesOf(pod)) {
      add({
        kind: ref.kind,
        namespace,
        name: ref.name,
        keyed: ref.key !== undefined,
      });
    }
  }
  for (const ing of ingresses) {
    for (const tls of ing.spec?.tls ?? []) {
      if (!tls.secretName) continue;
      add({
        kind: 'Secret',
        namespace: ing.metadata?.namespace ?? '',
        name: tls.secretName,
        keyed: false,
      });
    }
  }
  return [...byKey.values()];
}

/** What a metadata-only read returns (`as=PartialObjectMetadata`). */
type PartialObjectMetadata = { metadata?: V1ObjectMeta };

/** The key names of a ConfigMap; its values are dropped here. */
function configMapKeys(o: V1ConfigMap): ObjectKeys {
  return {
    kind: 'ConfigMap',
    namespace: o.metadata?.namespace ?? '',
    name: o.metadata?.name ?? '',
    keys: [
      ...Object.keys(o.data ?? {}),
      ...Object.keys(o.binaryData ?? {}),
    ].sort(),
  };
}

/**
 * The key names of a Secret from its metadata alone: the API server records
 * which fields each writer owns (`managedFields`, `f:data` → `f:<key>`),
 * and drops a key from them when it is removed. Undefined when no writer
 * records `data` (managed fields stripped, or a very old object): unknown,
 * so no rule guesses.
 */
export function secretKeysFromMetadata(
  o: V1Secret | PartialObjectMetadata,
): ObjectKeys | undefined {
  const keys = new Set<string>();
  let recorded = false;
  for (const m of o.metadata?.managedFields ?? []) {
    const data = (m.fieldsV1 as Record<string, unknown> | undefined)?.[
      'f:data'
    ];
    if (!data || typeof data !== 'object') continue;
    recorded = true;
    for (const k of Object.keys(data)) {
      if (k.startsWith('f:')) keys.add(k.slice(2));
    }
  }
  if (!recorded) return undefined;
  return {
    kind: 'Secret',
    namespace: o.metadata?.namespace ?? '',
    name: o.metadata?.name ?? '',
    keys: [...keys].sort(),
  };
}

const collection = (plural: string) => (ns: string) =>
  `/api/v1/namespaces/${ns}/${plural}`;

/**
 * Which referenced ConfigMaps and Secrets do not exist, and the key NAMES
 * of those referenced by key — one read per namespace and kind, all at
 * once. ConfigMaps are reduced to their key names at once; Secrets are
 * only ever read as metadata, their key names taken from managedFields.
 */
export async function readConfigReferences(
  reads: ClusterReads,
  pods: V1Pod[],
  ingresses: V1Ingress[],
): Promise<{ missing: MissingObject[]; objectKeys: ObjectKeys[] }> {
  const wanted = wantedObjects(pods, ingresses);
  const of = (kind: RefKind, keyed?: boolean) =>
    wanted
      .filter(
        w => w.kind === kind && (keyed === undefined || w.keyed === keyed),
      )
      .map(({ namespace, name }) => ({ namespace, name }));
  const none = Promise.resolve({ found: [], absent: [] });
  const [configMaps, secrets] = await Promise.all([
    // A ConfigMap read whole answers existence and keys in one call.
    of('ConfigMap').length
      ? readNamed<V1ConfigMap>(reads, {
          kind: 'ConfigMap',
          collection: collection('configmaps'),
          wanted: of('ConfigMap'),
        })
      : none,
    // Secrets: metadata only, never their data.
    of('Secret').length
      ? readNamed<PartialObjectMetadata>(reads, {
          kind: 'Secret',
          collection: collection('secrets'),
          wanted: of('Secret'),
          metadataOnly: true,
        })
      : none,
  ]);
  const keyed = new Set(
    wanted
      .filter(w => w.kind === 'Secret' && w.keyed)
      .map(w => objectKey('Secret', w.namespace, w.name)),
  );
  const objectKeys = [
    ...configMaps.found.map(configMapKeys),
    ...secrets.found
      .filter(s =>
        keyed.has(
          objectKey('Secret', s.metadata?.namespace, s.metadata?.name ?? ''),
        ),
      )
      .map(secretKeysFromMetadata)
      .filter((k): k is ObjectKeys => k !== undefined),
  ];
  const missing: MissingObject[] = [
    ...configMaps.absent.map(a => ({ kind: 'ConfigMap' as const, ...a })),
    ...secrets.absent.map(a => ({ kind: 'Secret' as const, ...a })),
  ];
  return { missing, objectKeys };
}
