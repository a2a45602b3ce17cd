import type {
  CoreV1Event,
  V1PodDisruptionBudget,
} from '@kubernetes/client-node';
import { matchesSelector } from '../../risk/rules';
import { ClusterReads, isNotFound, List, objectKey, reader } from './reader';
import type { EntityObjects } from './target';

/** Label sets of the entity's pods and pod templates, by namespace. */
function podLabelsByNamespace(
  objects: EntityObjects,
): Map<string, Record<string, string>[]> {
  const out = new Map<string, Record<string, string>[]>();
  const add = (ns: string | undefined, labels?: Record<string, string>) => {
    if (!ns || !labels) return;
    out.set(ns, [...(out.get(ns) ?? []), labels]);
  };
  for (const p of objects.pods) add(p.metadata?.namespace, p.metadata?.labels);
  for (const w of [
    ...objects.deployments,
    ...objects.statefulsets,
    ...objects.daemonsets,
  ]) {
    add(w.metadata?.namespace, w.spec?.template?.metadata?.labels);
  }
  return out;
}

/**
 * The PodDisruptionBudgets that cover the entity's pods: one list per
 * namespace, kept when the budget's selector matches a pod or a pod
 * template. A cluster that does not serve policy/v1 (404) has none; a
 * denied list is a note, and the diagnosis goes on without budgets.
 */
export async function readPdbs(
  reads: ClusterReads,
  objects: EntityObjects,
): Promise<V1PodDisruptionBudget[] | undefined> {
  const byNamespace = podLabelsByNamespace(objects);
  if (byNamespace.size === 0) return undefined;
  const { read, failed } = reader(reads);
  const lists = await Promise.all(
    [...byNamespace.keys()].sort().map(ns => {
      const what = `PodDisruptionBudgets of namespace ${ns}`;
      const sets = byNamespace.get(ns)!;
      return read<List<V1PodDisruptionBudget>>(
        what,
        `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
      )
        .then(list =>
          (list.items ?? []).filter(p =>
            sets.some(labels => matchesSelector(p.spec?.selector, labels)),
          ),
        )
        .catch(error => {
          if (!isNotFound(error)) failed(what)(error);
          return [] as V1PodDisruptionBudget[];
        });
    }),
  );
  return lists.flat();
}

/** Events of the budgets read, none of the others. */
export function budgetEvents(
  events: CoreV1Event[],
  pdbs: V1PodDisruptionBudget[] | undefined,
): CoreV1Event[] {
  const read = new Set(
    (pdbs ?? []).map(p =>
      objectKey(
        'PodDisruptionBudget',
        p.metadata?.namespace,
        p.metadata?.name ?? '',
      ),
    ),
  );
  return events.filter(
    e =>
      e.involvedObject?.kind !== 'PodDisruptionBudget' ||
      read.has(
        objectKey(
          'PodDisruptionBudget',
          e.involvedObject?.namespace ?? e.metadata?.namespace,
          e.involvedObject?.name ?? '',
        ),
      ),
  );
}
