import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { ClusterReads, isNotFound, List, reader } from './reader';
import type { EntityObjects } from './target';

/**
 * The NetworkPolicies of the namespaces where the entity has Services with
 * a selector (what the policies can make unreachable): one list per
 * namespace. A cluster that does not serve networking.k8s.io/v1
 * NetworkPolicies (404) has none; a denied list is a note, and the
 * diagnosis goes on without them (undefined: unknown, not "none").
 */
export async function readNetworkPolicies(
  reads: ClusterReads,
  objects: EntityObjects,
): Promise<V1NetworkPolicy[] | undefined> {
  const namespaces = [
    ...new Set(
      objects.services
        .filter(
          s =>
            Object.keys(s.spec?.selector ?? {}).length > 0 &&
            s.spec?.type !== 'ExternalName',
        )
        .map(s => s.metadata?.namespace)
        .filter((ns): ns is string => !!ns),
    ),
  ].sort();
  if (namespaces.length === 0) return undefined;
  const { read, failed } = reader(reads);
  let denied = false;
  const lists = await Promise.all(
    namespaces.map(ns => {
      const what = `NetworkPolicies of namespace ${ns}`;
      return read<List<V1NetworkPolicy>>(
        what,
        `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
      )
        .then(list => list.items ?? [])
        .catch(error => {
          if (!isNotFound(error)) {
            denied = true;
            failed(what)(error);
          }
          return [] as V1NetworkPolicy[];
        });
    }),
  );
  return denied ? undefined : lists.flat();
}
