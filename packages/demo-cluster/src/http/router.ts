/** URL path -> route (discovery document, or resource + namespace + name + subresource). */
import { findByPath, ResourceType } from '../api/resources';

export type Route =
  | { type: 'version' }
  | { type: 'health' }
  | { type: 'apiVersions' }
  | { type: 'groupList' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | { type: 'openapi'; key?: string }
  | {
      type: 'resource';
      rt: ResourceType;
      namespace?: string;
      name?: string;
      subresource?: string;
      /** legacy /watch/ path prefix */
      watchPath: boolean;
    }
  | { type: 'notFound' };

function decode(seg: string): string | undefined {
  try {
    return decodeURIComponent(seg);
  } catch {
    return undefined;
  }
}

export function route(pathname: string): Route {
  const raw = pathname.split('/').filter(s => s.length > 0);
  const segs = raw.map(decode);
  if (segs.some(s => s === undefined)) return { type: 'notFound' };
  const s = segs as string[];
  if (s.length === 0) return { type: 'notFound' };
  if (s[0] === 'version' && s.length === 1) return { type: 'version' };
  if (['healthz', 'livez', 'readyz'].includes(s[0])) return { type: 'health' };
  if (s[0] === 'openapi') {
    if (s[1] !== 'v3') return { type: 'notFound' };
    return { type: 'openapi', key: s.length > 2 ? s.slice(2).join('/') : undefined };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (s[0] === 'api') {
    if (s.length === 1) return { type: 'apiVersions' };
    if (s[1] !== 'v1') return { type: 'notFound' };
    group = '';
    version = 'v1';
    rest = s.slice(2);
  } else if (s[0] === 'apis') {
    if (s.length === 1) return { type: 'groupList' };
    group = s[1];
    if (s.length === 2) return { type: 'group', group };
    version = s[2];
    rest = s.slice(3);
  } else {
    return { type: 'notFound' };
  }
  if (rest.length === 0) return { type: 'resourceList', group, version };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
    if (rest.length === 0) return { type: 'notFound' };
  }
  let namespace: string | undefined;
  let plural: string;
  let name: string | undefined;
  let subresource: string | undefined;
  if (
    group === '' &&
    rest[0] === 'namespaces' &&
    rest.length === 3 &&
    (rest[2] === 'status' || rest[2] === 'finalize')
  ) {
    plural = 'namespaces';
    name = rest[1];
    subresource = rest[2];
  } else if (rest[0] === 'namespaces' && rest.length >= 3) {
    if (rest.length > 5) return { type: 'notFound' };
    namespace = rest[1];
    plural = rest[2];
    name = rest[3];
    subresource = rest[4];
  } else {
    if (rest.length > 3) return { type: 'notFound' };
    plural = rest[0];
    name = rest[1];
    subresource = rest[2];
  }
  const rt = findByPath(group, version, plural);
  if (!rt) return { type: 'notFound' };
  if (namespace !== undefined && !rt.namespaced) return { type: 'notFound' };
  if (namespace === undefined && rt.namespaced && name !== undefined) return { type: 'notFound' };
  if (subresource !== undefined && !(subresource in rt.subresources)) return { type: 'notFound' };
  if (watchPath && subresource !== undefined) return { type: 'notFound' };
  return { type: 'resource', rt, namespace, name, subresource, watchPath };
}
