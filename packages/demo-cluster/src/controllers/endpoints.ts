/** The simulated Endpoints controller: ready pods -> addresses, others -> notReadyAddresses. */
import { KubeObject } from '../types';
import { T } from '../api/resources';
import { SimContext, isPodReady } from './context';
import { deepEqual, rfc3339 } from '../util';

function ipSortKey(ip: string): string {
  return ip
    .split('.')
    .map(p => p.padStart(3, '0'))
    .join('.');
}

function resolveTargetPort(target: unknown, pods: KubeObject[]): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  for (const p of pods) {
    for (const c of p.spec?.containers ?? []) {
      const port = (c?.ports ?? []).find((x: any) => x?.name === target);
      if (port) return port.containerPort;
    }
  }
  return undefined;
}

export class EndpointsController {
  constructor(private readonly ctx: SimContext) {}

  enqueue(namespace: string, name: string) {
    this.ctx.enqueue(`endpoints:${namespace}/${name}`, () => this.sync(namespace, name));
  }

  /** Services in the namespace selecting any of the given label sets. */
  servicesSelecting(namespace: string, labelSets: (Record<string, string> | undefined)[]): string[] {
    return this.ctx.store
      .list(T.services, namespace)
      .filter(svc => {
        const sel: Record<string, string> = svc.spec?.selector ?? {};
        if (Object.keys(sel).length === 0) return false;
        return labelSets.some(l => l && Object.entries(sel).every(([k, v]) => l[k] === v));
      })
      .map(s => s.metadata.name!);
  }

  sync(namespace: string, name: string) {
    const svc = this.ctx.store.get(T.services, namespace, name);
    if (!svc) {
      if (this.ctx.store.has(T.endpoints, namespace, name)) this.ctx.deleteObject(T.endpoints, namespace, name);
      return;
    }
    const sel: Record<string, string> = svc.spec?.selector ?? {};
    if (Object.keys(sel).length === 0 || svc.spec?.type === 'ExternalName') return; // manually managed
    const pods = this.ctx.store
      .list(T.pods, namespace)
      .filter(p => {
        const labels = p.metadata.labels ?? {};
        return (
          Object.entries(sel).every(([k, v]) => labels[k] === v) &&
          p.status?.podIP &&
          !p.metadata.deletionTimestamp &&
          p.status?.phase !== 'Succeeded' &&
          p.status?.phase !== 'Failed'
        );
      })
      .sort((a, b) => (ipSortKey(a.status.podIP) < ipSortKey(b.status.podIP) ? -1 : 1));
    const address = (p: KubeObject) => ({
      ip: p.status.podIP,
      nodeName: p.spec?.nodeName,
      targetRef: { kind: 'Pod', namespace, name: p.metadata.name, uid: p.metadata.uid },
    });
    const ready = pods.filter(isPodReady).map(address);
    const notReady = pods.filter(p => !isPodReady(p)).map(address);
    const ports = (svc.spec?.ports ?? [])
      .map((p: any) => ({
        ...(p?.name ? { name: p.name } : {}),
        port: resolveTargetPort(p?.targetPort ?? p?.port, pods),
        protocol: p?.protocol ?? 'TCP',
      }))
      .filter((p: any) => p.port !== undefined);
    const subsets =
      ready.length || notReady.length
        ? [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }]
        : undefined;
    const existing = this.ctx.store.get(T.endpoints, namespace, name);
    if (!existing) {
      this.ctx.createObject(T.endpoints, namespace, {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace, labels: { ...(svc.metadata.labels ?? {}) } },
        ...(subsets ? { subsets } : {}),
      });
      return;
    }
    if (deepEqual(existing.subsets, subsets)) return;
    this.ctx.mutate(T.endpoints, namespace, name, ep => {
      if (subsets) ep.subsets = subsets;
      else delete ep.subsets;
      ep.metadata.annotations = {
        ...(ep.metadata.annotations ?? {}),
        'endpoints.kubernetes.io/last-change-trigger-time': rfc3339(),
      };
    });
  }
}
