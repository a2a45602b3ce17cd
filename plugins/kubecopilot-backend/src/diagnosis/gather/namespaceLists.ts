import {
  ClusterReads,
  isDenied,
  isNotFound,
  List,
  Named,
  reader,
  unique,
} from './reader';

export interface ObjectName {
  namespace: string;
  name: string;
}

export interface NamedRead<T> {
  found: T[];
  /** Wanted objects the server says do not exist. */
  absent: ObjectName[];
}

export interface NamedReadOptions {
  /** `ConfigMap`, `PersistentVolumeClaim`, … for messages. */
  kind: string;
  /** The namespaced collection, e.g. ns => `/api/v1/namespaces/${ns}/configmaps`. */
  collection: (namespace: string) => string;
  wanted: ObjectName[];
  /** Read metadata only (existence checks: never a spec, never data). */
  metadataOnly?: boolean;
}

/**
 * The wanted objects of one resource, one read per namespace instead of one
 * GET per object: a list narrowed by `fieldSelector=metadata.name=` when one
 * object is wanted, the namespace's list when several are. A namespace whose
 * list is denied (a user who may `get` but not `list`) falls back to one GET
 * per object, so permissions never change the answer, only its cost.
 */
export async function readNamed<T extends Named>(
  reads: ClusterReads,
  options: NamedReadOptions,
): Promise<NamedRead<T>> {
  const { read, readMetadata, failed } = reader(reads);
  const get = options.metadataOnly ? readMetadata : read;
  const byNamespace = new Map<string, string[]>();
  for (const w of options.wanted) {
    byNamespace.set(w.namespace, [
      ...(byNamespace.get(w.namespace) ?? []),
      w.name,
    ]);
  }
  const parts = await Promise.all(
    [...byNamespace.entries()].map(async ([namespace, all]) => {
      const names = unique(all).sort();
      const what = `${options.kind} ${
        names.length === 1
          ? `${namespace}/${names[0]}`
          : `list of namespace ${namespace}`
      }`;
      const query =
        names.length === 1
          ? { fieldSelector: `metadata.name=${names[0]}` }
          : undefined;
      try {
        const list = await get<List<T>>(
          what,
          options.collection(namespace),
          query,
        );
        const items = (list.items ?? []).filter(o =>
          names.includes(o.metadata?.name ?? ''),
        );
        const seen = new Set(items.map(o => o.metadata?.name));
        return {
          found: items,
          absent: names
            .filter(n => !seen.has(n))
            .map(name => ({ namespace, name })),
        };
      } catch (error) {
        if (!isDenied(error)) {
          failed(what)(error);
          return { found: [], absent: [] };
        }
        return readEach<T>(reads, options, namespace, names);
      }
    }),
  );
  return {
    found: parts.flatMap(p => p.found),
    absent: parts.flatMap(p => p.absent),
  };
}

async function readEach<T>(
  reads: ClusterReads,
  options: NamedReadOptions,
  namespace: string,
  names: string[],
): Promise<NamedRead<T>> {
  const { read, readMetadata, failed } = reader(reads);
  const get = options.metadataOnly ? readMetadata : read;
  const results = await Promise.all(
    names.map(name => {
      const what = `${options.kind} ${namespace}/${name}`;
      return get<T>(what, `${options.collection(namespace)}/${name}`).then(
        found => ({ name, found }),
        error => {
          if (isNotFound(error)) return { name, absent: true };
          failed(what)(error);
          return { name };
        },
      );
    }),
  );
  return {
    found: results.flatMap(r => ('found' in r && r.found ? [r.found] : [])),
    absent: results
      .filter(r => 'absent' in r)
      .map(r => ({ namespace, name: r.name })),
  };
}
