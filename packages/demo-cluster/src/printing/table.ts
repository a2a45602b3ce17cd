/** Builds `meta.k8s.io/v1 Table` and `PartialObjectMetadata(List)` representations. */
import { KubeObject } from '../types';
import { printerFor } from './printers';

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export function partialObjectMetadata(obj: KubeObject, apiVersion = 'meta.k8s.io/v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata };
}

export function partialObjectMetadataList(
  items: KubeObject[],
  listMeta: Record<string, unknown>,
  apiVersion = 'meta.k8s.io/v1',
): Record<string, unknown> {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion,
    metadata: listMeta,
    items: items.map(o => partialObjectMetadata(o, apiVersion)),
  };
}

export function toTable(
  kind: string,
  items: KubeObject[],
  opts: {
    listMeta?: Record<string, unknown>;
    includeObject?: IncludeObject;
    noHeaders?: boolean;
    apiVersion?: string;
    now?: number;
  } = {},
): Record<string, unknown> {
  const printer = printerFor(kind);
  const now = opts.now ?? Date.now();
  const include = opts.includeObject ?? 'Metadata';
  const metaApiVersion = opts.apiVersion ?? 'meta.k8s.io/v1';
  const rows = items.map(o => {
    let cells: unknown[];
    try {
      cells = printer.cells(o, now);
    } catch {
      cells = printer.columns.map((_, i) => (i === 0 ? o.metadata.name : ''));
    }
    const row: Record<string, unknown> = { cells };
    if (include === 'Object') row.object = o;
    else if (include === 'Metadata') row.object = partialObjectMetadata(o, metaApiVersion);
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: metaApiVersion,
    metadata: opts.listMeta ?? {},
    columnDefinitions: opts.noHeaders ? null : printer.columns,
    rows,
  };
}
