/** Accept-header negotiation: plain objects, Tables and PartialObjectMetadata(List). */
import { errors } from '../api/errors';

export type Representation =
  | { as: 'object'; format: 'json' | 'yaml' }
  | { as: 'Table'; apiVersion: string }
  | { as: 'PartialObjectMetadata'; apiVersion: string }
  | { as: 'PartialObjectMetadataList'; apiVersion: string };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || !header.trim()) return [];
  return header
    .split(',')
    .map(part => {
      const [type, ...rest] = part.split(';').map(s => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const i = p.indexOf('=');
        if (i > 0) params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim().replace(/^"|"$/g, '');
      }
      return { type: type.toLowerCase(), params };
    })
    .filter(r => r.type);
}

/**
 * Picks the first acceptable representation. `isList` says whether the response is a list
 * (PartialObjectMetadata is only for single objects, PartialObjectMetadataList for lists).
 */
export function negotiate(header: string | undefined, isList: boolean): Representation {
  const ranges = parseAccept(header);
  if (ranges.length === 0) return { as: 'object', format: 'json' };
  let transformRejected: string | undefined;
  for (const r of ranges) {
    const jsonLike = r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*';
    const as = r.params.as;
    if (as) {
      if (!jsonLike) continue;
      const g = r.params.g;
      const v = r.params.v;
      if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
      const apiVersion = `meta.k8s.io/${v}`;
      if (as === 'Table') return { as: 'Table', apiVersion };
      if (as === 'PartialObjectMetadata') {
        if (!isList) return { as, apiVersion };
        transformRejected = 'you requested PartialObjectMetadata, but the requested object is a list';
        continue;
      }
      if (as === 'PartialObjectMetadataList') {
        if (isList) return { as, apiVersion };
        transformRejected = 'you requested PartialObjectMetadataList, but the requested object is not a list';
        continue;
      }
      continue;
    }
    if (jsonLike) return { as: 'object', format: 'json' };
    if (r.type === 'application/yaml') return { as: 'object', format: 'yaml' };
  }
  throw errors.notAcceptable(
    transformRejected ??
      'only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  );
}

/** For errors and discovery: JSON unless the client only takes YAML. */
export function wantsYaml(header: string | undefined): boolean {
  const ranges = parseAccept(header);
  if (!ranges.length) return false;
  const first = ranges.find(r => r.type === 'application/json' || r.type === '*/*' || r.type === 'application/yaml' || r.type === 'application/*');
  return first?.type === 'application/yaml';
}
