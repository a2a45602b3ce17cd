import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ApiRef, useApi, useApiHolder } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotApiRef } from '../../api';
import { isKubecopilotAvailable } from '../../isKubecopilotAvailable';
import { WorkloadsStatus, workloadsStatus } from '../EntitySummaryCard';

/**
 * How many services the home asks the clusters about. Each one is a
 * workloads query through the Kubernetes backend, so a large catalog gets
 * the first ones checked and the rest listed with a link to check them.
 */
export const CHECKED_SERVICES_LIMIT = 20;
/** Workload queries in flight at once, to spare the Kubernetes backend. */
const CONCURRENCY = 4;

export interface ServiceStatus {
  entity: Entity;
  entityRef: string;
  /** Absent when the service was not checked (over the limit). */
  status?: WorkloadsStatus;
  /** Clusters that could not be read for it. */
  unreadClusters: string[];
  error?: Error;
}

// Some API holders throw for an API nobody registered instead of answering
// undefined.
function useOptionalApi<T>(ref: ApiRef<T>): T | undefined {
  const holder = useApiHolder();
  try {
    return holder.get(ref);
  } catch {
    return undefined;
  }
}

async function mapLimited<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/** Problems first (most workloads in trouble first), then unknown, then the rest. */
function rank(s: ServiceStatus): number {
  if (s.status && s.status.problems.length > 0) return 0;
  if (s.error || (s.status && s.unreadClusters.length > 0)) return 1;
  if (!s.status) return 3;
  return 2;
}

export function sortServices(services: ServiceStatus[]): ServiceStatus[] {
  return [...services].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (b.status?.problems.length ?? 0) - (a.status?.problems.length ?? 0) ||
      a.entityRef.localeCompare(b.entityRef),
  );
}

/**
 * The catalog's Components that run on Kubernetes, each with the state of
 * its workloads as the clusters report it now. There is no portal-wide
 * "problems" API: the status comes from the same per-entity workloads
 * query the entity pages use.
 */
export function useServicesStatus() {
  const catalogApi = useOptionalApi(catalogApiRef);
  const api = useApi(kubecopilotApiRef);
  return useAsyncRetry(async () => {
    if (!catalogApi) return undefined;
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Component' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.annotations',
        'spec.owner',
      ],
    });
    const services = items
      .filter(isKubecopilotAvailable)
      .sort((a, b) =>
        stringifyEntityRef(a).localeCompare(stringifyEntityRef(b)),
      );
    const checked = services.slice(0, CHECKED_SERVICES_LIMIT);
    const results = await mapLimited(checked, CONCURRENCY, async entity => {
      const entityRef = stringifyEntityRef(entity);
      try {
        const response = await api.getWorkloads(entityRef);
        return {
          entity,
          entityRef,
          status: workloadsStatus(response.workloads),
          unreadClusters: response.errors.map(e => e.cluster),
        } as ServiceStatus;
      } catch (error) {
        return {
          entity,
          entityRef,
          unreadClusters: [],
          error: error as Error,
        } as ServiceStatus;
      }
    });
    const unchecked: ServiceStatus[] = services
      .slice(CHECKED_SERVICES_LIMIT)
      .map(entity => ({
        entity,
        entityRef: stringifyEntityRef(entity),
        unreadClusters: [],
      }));
    return sortServices([...results, ...unchecked]);
  }, [catalogApi, api]);
}
