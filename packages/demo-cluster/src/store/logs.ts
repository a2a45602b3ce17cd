/** Container logs declared by scenarios (`kubecopilot.dev/v1alpha1 ContainerLog`). */

export interface ContainerLogEntry {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  lines: string[];
}

function key(namespace: string, pod: string, container: string, previous: boolean) {
  return `${namespace}/${pod}/${container}/${previous ? 'previous' : 'current'}`;
}

export class LogStore {
  private readonly logs = new Map<string, ContainerLogEntry>();

  set(entry: ContainerLogEntry) {
    this.logs.set(key(entry.namespace, entry.pod, entry.container, entry.previous), entry);
  }

  has(namespace: string, pod: string, container: string, previous: boolean): boolean {
    return this.logs.has(key(namespace, pod, container, previous));
  }

  get(namespace: string, pod: string, container: string, previous: boolean): string[] | undefined {
    return this.logs.get(key(namespace, pod, container, previous))?.lines;
  }

  /** Forgets a pod's logs (its name may be reused, e.g. by a StatefulSet). */
  deletePod(namespace: string, pod: string) {
    for (const k of [...this.logs.keys()]) {
      if (k.startsWith(`${namespace}/${pod}/`)) this.logs.delete(k);
    }
  }
}
