import type { V1Service } from '@kubernetes/client-node';
import { ObjectName, readNamed } from './namespaceLists';
import type { ClusterReads } from './reader';
import type { EntityObjects } from './target';

/**
 * The governing Services the StatefulSets name (spec.serviceName) that the
 * server says do not exist. Those among the entity's Services are known to
 * exist; the others are checked by name, metadata only, one list per
 * namespace. Undefined when there is nothing to check.
 */
export async function readMissingServices(
  reads: ClusterReads,
  objects: EntityObjects,
): Promise<ObjectName[] | undefined> {
  const known = new Set(
    objects.services.map(s => `${s.metadata?.namespace}/${s.metadata?.name}`),
  );
  const wanted: ObjectName[] = [];
  for (const s of objects.statefulsets) {
    const namespace = s.metadata?.namespace;
    const name = s.spec?.serviceName;
    if (!namespace || !name || known.has(`${namespace}/${name}`)) continue;
    known.add(`${namespace}/${name}`);
    wanted.push({ namespace, name });
  }
  if (wanted.length === 0) return undefined;
  const read = await readNamed<V1Service>(reads, {
    kind: 'Service',
    collection: ns => `/api/v1/namespaces/${ns}/services`,
    wanted,
    metadataOnly: true,
  });
  return read.absent;
}
