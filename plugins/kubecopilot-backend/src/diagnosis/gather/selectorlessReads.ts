import type { V1EndpointSlice } from '@kubernetes/client-node';
import type { ObjectName } from './namespaceLists';
import { ClusterReads, isNotFound, List, reader } from './reader';
import type { EntityObjects } from './target';

// A Service without a selector is backed by Endpoints or EndpointSlices
// that a person or a controller writes (an external database, a mesh). No
// pod explains it, so the diagnosis reads both: custom EndpointSlices are
// not mirrored into Endpoints, and only when neither exists is the Service
// known to lead nowhere.

/** Services of the entity without a selector that should have endpoints. */
export function selectorlessServices(objects: EntityObjects): ObjectName[] {
  return objects.services
    .filter(
      s =>
        Object.keys(s.spec?.selector ?? {}).length === 0 &&
        s.spec?.type !== 'ExternalName',
    )
    .map(s => ({
      namespace: s.metadata?.namespace ?? '',
      name: s.metadata?.name ?? '',
    }));
}

const SERVICE_NAME = 'kubernetes.io/service-name';

/**
 * The EndpointSlices of the given Services, one list per namespace;
 * undefined when they could not be read (a cluster without
 * discovery.k8s.io/v1, or a denied list, which is a note).
 */
export async function readEndpointSlices(
  reads: ClusterReads,
  services: ObjectName[],
): Promise<V1EndpointSlice[] | undefined> {
  if (services.length === 0) return undefined;
  const { read, failed } = reader(reads);
  const namespaces = [...new Set(services.map(s => s.namespace))].sort();
  let unknown = false;
  const lists = await Promise.all(
    namespaces.map(ns => {
      const what = `EndpointSlices of namespace ${ns}`;
      const names = new Set(
        services.filter(s => s.namespace === ns).map(s => s.name),
      );
      return read<List<V1EndpointSlice>>(
        what,
        `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
      )
        .then(list =>
          (list.items ?? []).filter(s =>
            names.has(s.metadata?.labels?.[SERVICE_NAME] ?? ''),
          ),
        )
        .catch(error => {
          unknown = true;
          if (!isNotFound(error)) failed(what)(error);
          return [] as V1EndpointSlice[];
        });
    }),
  );
  return unknown ? undefined : lists.flat();
}

/**
 * The selector-less Services with neither Endpoints (the server said they
 * do not exist) nor EndpointSlices; undefined when the slices are unknown.
 */
export function unbackedServices(
  services: ObjectName[],
  absentEndpoints: ObjectName[],
  slices: V1EndpointSlice[] | undefined,
): ObjectName[] | undefined {
  if (!slices) return undefined;
  const absent = new Set(absentEndpoints.map(e => `${e.namespace}/${e.name}`));
  const sliced = new Set(
    slices.map(
      s => `${s.metadata?.namespace}/${s.metadata?.labels?.[SERVICE_NAME]}`,
    ),
  );
  return services.filter(s => {
    const k = `${s.namespace}/${s.name}`;
    return absent.has(k) && !sliced.has(k);
  });
}
