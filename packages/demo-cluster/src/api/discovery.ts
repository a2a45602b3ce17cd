/** Discovery documents: /version, /api, /api/v1, /apis, /apis/{group}, /apis/{group}/{version}. */
import { createHash } from 'node:crypto';
import { GROUP_ORDER, RESOURCE_TYPES, ResourceType } from './resources';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4+kubecopilot-demo',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function storageVersionHash(r: ResourceType): string {
  return createHash('sha256').update(`${r.group}/${r.version}/${r.kind}`).digest('base64').slice(0, 12);
}

function versionsOf(group: string): string[] {
  return [...new Set(RESOURCE_TYPES.filter(r => r.group === group).map(r => r.version))];
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(name: string) {
  const versions = versionsOf(name).map(v => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions, preferredVersion: versions[0] };
}

export function apiGroupList() {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUP_ORDER.map(groupDoc) };
}

export function apiGroup(name: string) {
  if (!GROUP_ORDER.includes(name)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(name) };
}

export function apiResourceList(group: string, version: string) {
  const types = RESOURCE_TYPES.filter(r => r.group === group && r.version === version);
  if (!types.length) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of types) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
      ...(r.virtual ? {} : { storageVersionHash: storageVersionHash(r) }),
    });
    for (const [sub, s] of Object.entries(r.subresources)) {
      resources.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.group !== undefined ? { group: s.group } : {}),
        ...(s.version !== undefined ? { version: s.version } : {}),
        kind: s.kind || r.kind,
        verbs: s.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    ...(group ? { apiVersion: 'v1' } : {}),
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}
