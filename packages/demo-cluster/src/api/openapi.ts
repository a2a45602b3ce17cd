/**
 * A minimal OpenAPI v3 surface: the /openapi/v3 index and, per group/version, the paths of
 * each resource with the `x-kubernetes-group-version-kind` and query parameters. Enough for
 * kubectl to see that the server validates fields itself (`fieldValidation`), so
 * `kubectl create -f` / `kubectl apply -f` work; there are no schemas (no `kubectl explain`).
 */
import { createHash } from 'node:crypto';
import { RESOURCE_TYPES, ResourceType } from './resources';
import { SERVER_VERSION } from './discovery';

function gvKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCE_TYPES) seen.set(gvKey(r.group, r.version), { group: r.group, version: r.version });
  return [...seen.values()];
}

const query = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string', uniqueItems: true } });

function operations(r: ResourceType) {
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const op = (action: string, extra: object[] = []) => ({
    operationId: `${action}${r.kind}`,
    parameters: extra,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  });
  const writeParams = [query('dryRun'), query('fieldManager'), query('fieldValidation')];
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
  const scopeParams = r.namespaced ? [pathParam('namespace')] : [];
  const paths: Record<string, unknown> = {};
  if (r.virtual === 'create-only') {
    paths[collection] = { post: op('post', writeParams) };
    return paths;
  }
  paths[collection] = {
    get: op('list', [query('labelSelector'), query('fieldSelector'), query('limit'), query('continue'), query('watch')]),
    ...(r.virtual ? {} : { post: op('post', writeParams), delete: op('deletecollection') }),
    parameters: scopeParams,
  };
  paths[`${collection}/{name}`] = {
    get: op('get'),
    ...(r.virtual ? {} : { put: op('put', writeParams), patch: op('patch', [...writeParams, query('force')]), delete: op('delete', [query('dryRun')]) }),
    parameters: [pathParam('name'), ...scopeParams],
  };
  return paths;
}

export function openApiV3Index(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const { group, version } of groupVersions()) {
    const key = gvKey(group, version);
    const hash = createHash('sha512').update(`${SERVER_VERSION.gitVersion}/${key}`).digest('hex').toUpperCase().slice(0, 128);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}

/** The document of one group/version (`api/v1`, `apis/apps/v1`, ...), or undefined. */
export function openApiV3Document(key: string): Record<string, unknown> | undefined {
  const gv = groupVersions().find(g => gvKey(g.group, g.version) === key);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of RESOURCE_TYPES.filter(t => t.group === gv.group && t.version === gv.version)) {
    Object.assign(paths, operations(r));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas: {} },
  };
}
