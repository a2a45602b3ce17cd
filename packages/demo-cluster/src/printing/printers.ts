/**
 * Server-side printing: the columns and cells kube-apiserver's table convertors produce
 * (ported from kubernetes/pkg/printers/internalversion/printers.go, 1.32). The server always
 * generates the wide columns; kubectl hides the priority-1 ones unless `-o wide`.
 */
import { KubeObject } from '../types';
import { formatLabels, selectorObjectToString } from '../selectors/labels';
import { humanDuration, since } from './duration';
import { parseTime } from '../util';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface Printer {
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: number): unknown[];
}

function col(name: string, type = 'string', priority = 0, format = '', description = ''): ColumnDefinition {
  return { name, type, format, description: description || `${name} of the object`, priority };
}
const NAME = col('Name', 'string', 0, 'name', 'Name must be unique within a namespace.');
const AGE = col('Age', 'string', 0, '', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

function age(o: KubeObject, now: number) {
  return since(o.metadata.creationTimestamp, now);
}

function containersAndImages(containers: any[] | undefined): [string, string] {
  const list = Array.isArray(containers) ? containers : [];
  return [list.map(c => c?.name ?? '').join(','), list.map(c => c?.image ?? '').join(',')];
}

function int(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

// ---------------------------------------------------------------- pods

function isRestartableInit(c: any): boolean {
  return c?.restartPolicy === 'Always';
}

export function podStatusCells(pod: KubeObject, now: number): { ready: string; reason: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const containers: any[] = Array.isArray(spec.containers) ? spec.containers : [];
  const initSpecs: any[] = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = containers.length;
  let readyContainers = 0;
  let lastRestart = 0;
  let lastRestartableInitRestart = 0;

  let reason: string = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) {
    if (c?.type === 'PodScheduled' && c?.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initByName = new Map<string, any>();
  for (const c of initSpecs) {
    initByName.set(c?.name, c);
    if (isRestartableInit(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses: any[] = Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] ?? {};
    restarts += int(cs.restartCount);
    const lt = parseTime(cs.lastState?.terminated?.finishedAt);
    if (lt !== undefined && lt > lastRestart) lastRestart = lt;
    const restartable = isRestartableInit(initByName.get(cs.name));
    if (restartable) {
      restartableInitRestarts += int(cs.restartCount);
      if (lt !== undefined && lt > lastRestartableInitRestart) lastRestartableInitRestart = lt;
    }
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && int(term.exitCode) === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      if (!term.reason) {
        reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${int(term.exitCode)}`;
      } else reason = `Init:${term.reason}`;
      initializing = true;
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
      initializing = true;
    }
    break;
  }

  const initializedTrue = (status.conditions ?? []).some(
    (c: any) => c?.type === 'Initialized' && c?.status === 'True',
  );
  if (!initializing || initializedTrue) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses: any[] = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] ?? {};
      restarts += int(cs.restartCount);
      const lt = parseTime(cs.lastState?.terminated?.finishedAt);
      if (lt !== undefined && lt > lastRestart) lastRestart = lt;
      const waiting = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (waiting && waiting.reason) reason = waiting.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term && !term.reason) {
        reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${int(term.exitCode)}`;
      } else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = (status.conditions ?? []).some((c: any) => c?.type === 'Ready' && c?.status === 'True');
      reason = readyCond ? 'Running' : 'NotReady';
    }
  }

  const terminal = status.phase === 'Failed' || status.phase === 'Succeeded';
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart > 0) {
    restartsStr = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, reason, restarts: restartsStr };
}

const podPrinter: Printer = {
  columns: [
    NAME,
    col('Ready', 'string', 0, '', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 0, '', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 0, '', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'string', 1, '', 'podIP address allocated to the pod.'),
    col('Node', 'string', 1, '', 'NodeName is a request to schedule this pod onto a specific node.'),
    col('Nominated Node', 'string', 1, '', 'nominatedNodeName is set when this pod preempts other pods on the node.'),
    col('Readiness Gates', 'string', 1, '', 'If specified, all readiness gates will be evaluated for pod readiness.'),
  ],
  cells(pod, now) {
    const { ready, reason, restarts } = podStatusCells(pod, now);
    const status = pod.status ?? {};
    const ip = status.podIPs?.[0]?.ip || status.podIP || '<none>';
    const gates: any[] = pod.spec?.readinessGates ?? [];
    let gatesStr = '<none>';
    if (gates.length) {
      const trueCount = gates.filter(g =>
        (status.conditions ?? []).some((c: any) => c?.type === g?.conditionType && c?.status === 'True'),
      ).length;
      gatesStr = `${trueCount}/${gates.length}`;
    }
    return [
      pod.metadata.name,
      ready,
      reason,
      restarts,
      age(pod, now),
      ip,
      pod.spec?.nodeName || '<none>',
      status.nominatedNodeName || '<none>',
      gatesStr,
    ];
  },
};

// ---------------------------------------------------------------- workloads

const deploymentPrinter: Printer = {
  columns: [
    NAME,
    col('Ready', 'string', 0, '', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 0, '', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 0, '', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE,
    col('Containers', 'string', 1, '', 'Names of each container in the template.'),
    col('Images', 'string', 1, '', 'Images referenced by each container in the template.'),
    col('Selector', 'string', 1, '', 'Label selector for pods.'),
  ],
  cells(d, now) {
    const [c, i] = containersAndImages(d.spec?.template?.spec?.containers);
    const desired = d.spec?.replicas ?? 1;
    return [
      d.metadata.name,
      `${int(d.status?.readyReplicas)}/${int(desired)}`,
      int(d.status?.updatedReplicas),
      int(d.status?.availableReplicas),
      age(d, now),
      c,
      i,
      selectorObjectToString(d.spec?.selector),
    ];
  },
};

const replicaSetPrinter: Printer = {
  columns: [
    NAME,
    col('Desired', 'integer', 0, '', 'Number of desired pods.'),
    col('Current', 'integer', 0, '', 'Number of actual replicas.'),
    col('Ready', 'integer', 0, '', 'The number of ready replicas for this replica set.'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells(rs, now) {
    const [c, i] = containersAndImages(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata.name,
      int(rs.spec?.replicas ?? 1),
      int(rs.status?.replicas),
      int(rs.status?.readyReplicas),
      age(rs, now),
      c,
      i,
      selectorObjectToString(rs.spec?.selector),
    ];
  },
};

const statefulSetPrinter: Printer = {
  columns: [
    NAME,
    col('Ready', 'string', 0, '', 'Number of the pod with ready state'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
  ],
  cells(s, now) {
    const [c, i] = containersAndImages(s.spec?.template?.spec?.containers);
    return [s.metadata.name, `${int(s.status?.readyReplicas)}/${int(s.spec?.replicas ?? 1)}`, age(s, now), c, i];
  },
};

const daemonSetPrinter: Printer = {
  columns: [
    NAME,
    col('Desired', 'integer'),
    col('Current', 'integer'),
    col('Ready', 'integer'),
    col('Up-to-date', 'integer'),
    col('Available', 'integer'),
    col('Node Selector', 'string'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells(ds, now) {
    const [c, i] = containersAndImages(ds.spec?.template?.spec?.containers);
    const s = ds.status ?? {};
    return [
      ds.metadata.name,
      int(s.desiredNumberScheduled),
      int(s.currentNumberScheduled),
      int(s.numberReady),
      int(s.updatedNumberScheduled),
      int(s.numberAvailable),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      age(ds, now),
      c,
      i,
      selectorObjectToString(ds.spec?.selector),
    ];
  },
};

function jobStatus(job: KubeObject): string {
  const conds: any[] = job.status?.conditions ?? [];
  const has = (t: string) => conds.some(c => c?.type === t && c?.status === 'True');
  if (has('Failed')) return 'Failed';
  if (has('Complete')) return 'Complete';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  return 'Running';
}

const jobPrinter: Printer = {
  columns: [
    NAME,
    col('Status', 'string', 0, '', 'Status of the job.'),
    col('Completions', 'string', 0, '', 'The desired number of successfully finished pods the job should be run with.'),
    col('Duration', 'string', 0, '', 'Time required to complete the job.'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells(job, now) {
    const [c, i] = containersAndImages(job.spec?.template?.spec?.containers);
    const succeeded = int(job.status?.succeeded);
    let completions: string;
    if (job.spec?.completions !== undefined && job.spec?.completions !== null) {
      completions = `${succeeded}/${int(job.spec.completions)}`;
    } else {
      const parallelism = int(job.spec?.parallelism ?? 0);
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    const start = parseTime(job.status?.startTime);
    const end = parseTime(job.status?.completionTime);
    let duration = '';
    if (start !== undefined) duration = humanDuration((end ?? now) - start);
    return [job.metadata.name, jobStatus(job), completions, duration, age(job, now), c, i, selectorObjectToString(job.spec?.selector)];
  },
};

const cronJobPrinter: Printer = {
  columns: [
    NAME,
    col('Schedule', 'string'),
    col('Timezone', 'string'),
    col('Suspend', 'boolean'),
    col('Active', 'integer'),
    col('Last Schedule', 'string'),
    AGE,
    col('Containers', 'string', 1),
    col('Images', 'string', 1),
    col('Selector', 'string', 1),
  ],
  cells(cj, now) {
    const [c, i] = containersAndImages(cj.spec?.jobTemplate?.spec?.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>';
    return [
      cj.metadata.name,
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone || '<none>',
      Boolean(cj.spec?.suspend),
      (cj.status?.active ?? []).length,
      last,
      age(cj, now),
      c,
      i,
      selectorObjectToString(cj.spec?.jobTemplate?.spec?.selector),
    ];
  },
};

// ---------------------------------------------------------------- networking

function servicePorts(svc: KubeObject): string {
  const ports: any[] = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports
    .map(p => (p?.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p?.port}/${p?.protocol ?? 'TCP'}`))
    .join(',');
}

function serviceExternalIp(svc: KubeObject): string {
  const spec = svc.spec ?? {};
  const external: string[] = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb: string[] = (svc.status?.loadBalancer?.ingress ?? [])
        .map((i: any) => i?.ip || i?.hostname)
        .filter(Boolean);
      const all = [...lb, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '<none>';
    default:
      return '<unknown>';
  }
}

const servicePrinter: Printer = {
  columns: [
    NAME,
    col('Type', 'string', 0, '', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 0, '', 'clusterIP is the IP address of the service.'),
    col('External-IP', 'string', 0, '', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 0, '', 'The list of ports that are exposed by this service.'),
    AGE,
    col('Selector', 'string', 1, '', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells(svc, now) {
    return [
      svc.metadata.name,
      svc.spec?.type ?? 'ClusterIP',
      svc.spec?.clusterIP || '<none>',
      serviceExternalIp(svc),
      servicePorts(svc),
      age(svc, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};

export function formatEndpoints(ep: KubeObject, max = 3): string {
  const list: string[] = [];
  let count = 0;
  let more = false;
  for (const ss of ep.subsets ?? []) {
    const ports: any[] = ss?.ports ?? [];
    const addrs: any[] = ss?.addresses ?? [];
    if (!ports.length) {
      for (const a of addrs) {
        if (list.length < max) list.push(a?.ip ?? '');
        else more = true;
        count++;
      }
      continue;
    }
    for (const p of ports) {
      for (const a of addrs) {
        if (list.length < max) list.push(`${a?.ip}:${p?.port}`);
        else more = true;
        count++;
      }
    }
  }
  if (!list.length) return '<none>';
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

const endpointsPrinter: Printer = {
  columns: [NAME, col('Endpoints', 'string', 0, '', 'Endpoints of the service'), AGE],
  cells: (ep, now) => [ep.metadata.name, formatEndpoints(ep), age(ep, now)],
};

const ingressPrinter: Printer = {
  columns: [NAME, col('Class', 'string'), col('Hosts', 'string'), col('Address', 'string'), col('Ports', 'string'), AGE],
  cells(ing, now) {
    const hosts = (ing.spec?.rules ?? []).map((r: any) => r?.host || '*');
    let hostStr = hosts.slice(0, 4).join(',');
    if (hosts.length > 4) hostStr += ` + ${hosts.length - 4} more...`;
    const addr = (ing.status?.loadBalancer?.ingress ?? []).map((i: any) => i?.ip || i?.hostname).filter(Boolean);
    return [
      ing.metadata.name,
      ing.spec?.ingressClassName || '<none>',
      hostStr || '*',
      addr.join(','),
      (ing.spec?.tls ?? []).length ? '80, 443' : '80',
      age(ing, now),
    ];
  },
};

const networkPolicyPrinter: Printer = {
  columns: [NAME, col('Pod-Selector', 'string'), AGE],
  cells: (np, now) => [np.metadata.name, selectorObjectToString(np.spec?.podSelector) || '<none>', age(np, now)],
};

const ingressClassPrinter: Printer = {
  columns: [NAME, col('Controller', 'string'), col('Parameters', 'string'), AGE],
  cells: (ic, now) => [ic.metadata.name, ic.spec?.controller ?? '', ic.spec?.parameters ? `${ic.spec.parameters.kind}/${ic.spec.parameters.name}` : '<none>', age(ic, now)],
};

// ---------------------------------------------------------------- cluster, config, storage

function eventRow(ev: KubeObject, now: number): unknown[] {
  let first = since(ev.firstTimestamp, now);
  if (!parseTime(ev.firstTimestamp)) first = since(ev.eventTime, now);
  let last = parseTime(ev.lastTimestamp) ? since(ev.lastTimestamp, now) : first;
  let count = int(ev.count);
  if (ev.series) {
    last = since(ev.series.lastObservedTime, now);
    count = int(ev.series.count);
  } else if (count === 0) count = 1;
  const io = ev.involvedObject ?? {};
  const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
  const [component, host] = ev.source?.component
    ? [ev.source.component, ev.source.host]
    : [ev.reportingComponent ?? '', ev.reportingInstance];
  const src = host ? `${component}, ${host}` : component;
  return [last, ev.type ?? '', ev.reason ?? '', target, io.fieldPath ?? '', src, String(ev.message ?? '').trim(), first, count, ev.metadata.name];
}

const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', 0, '', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 0, '', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    col('Reason', 'string', 0, '', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    col('Object', 'string', 0, '', 'The object that this event is about.'),
    col('Subobject', 'string', 1, '', 'The field of the object that this event is about.'),
    col('Source', 'string', 1, '', 'The component reporting this event.'),
    col('Message', 'string', 0, '', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 1, '', 'The time at which the event was first recorded.'),
    col('Count', 'string', 1, '', 'The number of times this event has occurred.'),
    col('Name', 'string', 1, 'name', 'Name must be unique within a namespace.'),
  ],
  cells: eventRow,
};

function nodeStatus(node: KubeObject): string {
  const conds: any[] = node.status?.conditions ?? [];
  const ready = conds.find(c => c?.type === 'Ready');
  const out: string[] = [];
  if (!ready) out.push('Unknown');
  else if (ready.status === 'True') out.push('Ready');
  else if (ready.status === 'False') out.push('NotReady');
  else out.push('Unknown');
  if (node.spec?.unschedulable) out.push('SchedulingDisabled');
  return out.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const r = k.slice('node-role.kubernetes.io/'.length);
      if (r) roles.add(r);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const nodePrinter: Printer = {
  columns: [
    NAME,
    col('Status', 'string', 0, '', 'The status of the node'),
    col('Roles', 'string', 0, '', 'The roles of the node'),
    AGE,
    col('Version', 'string', 0, '', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 1, '', 'List of addresses reachable to the node.'),
    col('External-IP', 'string', 1, '', 'List of addresses reachable to the node.'),
    col('OS-Image', 'string', 1, '', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    col('Kernel-Version', 'string', 1, '', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    col('Container-Runtime', 'string', 1, '', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
  ],
  cells(node, now) {
    const addrs: any[] = node.status?.addresses ?? [];
    const addr = (t: string) => addrs.find(a => a?.type === t)?.address || '<none>';
    const info = node.status?.nodeInfo ?? {};
    return [
      node.metadata.name,
      nodeStatus(node),
      nodeRoles(node),
      age(node, now),
      info.kubeletVersion ?? '',
      addr('InternalIP'),
      addr('ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};

const namespacePrinter: Printer = {
  columns: [NAME, col('Status', 'string', 0, '', 'The status of the namespace'), AGE],
  cells: (ns, now) => [ns.metadata.name, ns.status?.phase ?? 'Active', age(ns, now)],
};

const configMapPrinter: Printer = {
  columns: [NAME, col('Data', 'string'), AGE],
  cells: (cm, now) => [cm.metadata.name, Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(cm, now)],
};

const secretPrinter: Printer = {
  columns: [NAME, col('Type', 'string'), col('Data', 'string'), AGE],
  cells: (s, now) => [s.metadata.name, s.type ?? 'Opaque', Object.keys(s.data ?? {}).length + Object.keys(s.stringData ?? {}).length, age(s, now)],
};

const serviceAccountPrinter: Printer = {
  columns: [NAME, col('Secrets', 'string'), AGE],
  cells: (sa, now) => [sa.metadata.name, (sa.secrets ?? []).length, age(sa, now)],
};

function accessModes(modes: unknown): string {
  const map: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return (Array.isArray(modes) ? modes : []).map(m => map[m] ?? m).join(',');
}

const pvcPrinter: Printer = {
  columns: [
    NAME,
    col('Status', 'string'),
    col('Volume', 'string'),
    col('Capacity', 'string'),
    col('Access Modes', 'string'),
    col('StorageClass', 'string'),
    col('VolumeAttributesClass', 'string'),
    AGE,
    col('VolumeMode', 'string', 1),
  ],
  cells(pvc, now) {
    const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : pvc.status?.phase ?? 'Pending';
    const bound = Boolean(pvc.spec?.volumeName);
    return [
      pvc.metadata.name,
      phase,
      pvc.spec?.volumeName ?? '',
      bound ? pvc.status?.capacity?.storage ?? '' : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      pvc.spec?.storageClassName ?? '',
      pvc.spec?.volumeAttributesClassName || '<unset>',
      age(pvc, now),
      pvc.spec?.volumeMode ?? 'Filesystem',
    ];
  },
};

const pvPrinter: Printer = {
  columns: [
    NAME,
    col('Capacity', 'string'),
    col('Access Modes', 'string'),
    col('Reclaim Policy', 'string'),
    col('Status', 'string'),
    col('Claim', 'string'),
    col('StorageClass', 'string'),
    col('VolumeAttributesClass', 'string'),
    col('Reason', 'string'),
    AGE,
    col('VolumeMode', 'string', 1),
  ],
  cells(pv, now) {
    const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : '';
    return [
      pv.metadata.name,
      pv.spec?.capacity?.storage ?? '',
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain',
      pv.metadata.deletionTimestamp ? 'Terminating' : pv.status?.phase ?? 'Pending',
      claim,
      pv.spec?.storageClassName ?? '',
      pv.spec?.volumeAttributesClassName || '<unset>',
      pv.status?.reason ?? '',
      age(pv, now),
      pv.spec?.volumeMode ?? 'Filesystem',
    ];
  },
};

function hpaTargets(hpa: KubeObject): string {
  const metrics: any[] = hpa.spec?.metrics ?? [];
  const current: any[] = hpa.status?.currentMetrics ?? [];
  if (!metrics.length) return '<none>';
  const parts = metrics.map((m, i) => {
    const cur = current[i];
    if (m?.type === 'Resource' && m.resource) {
      const name = m.resource.name;
      const t = m.resource.target ?? {};
      if (t.type === 'Utilization') {
        const c = cur?.resource?.current?.averageUtilization;
        return `${name}: ${c === undefined ? '<unknown>' : `${c}%`}/${t.averageUtilization}%`;
      }
      const c = cur?.resource?.current?.averageValue;
      return `${name}: ${c ?? '<unknown>'}/${t.averageValue ?? t.value}`;
    }
    const t = m?.[String(m?.type ?? '').charAt(0).toLowerCase() + String(m?.type ?? '').slice(1)]?.target ?? {};
    return `${t.averageValue ?? t.value ?? '<unknown>'}`;
  });
  let s = parts.slice(0, 2).join(', ');
  if (parts.length > 2) s += ` + ${parts.length - 2} more...`;
  return s;
}

const hpaPrinter: Printer = {
  columns: [
    NAME,
    col('Reference', 'string'),
    col('Targets', 'string'),
    col('MinPods', 'string'),
    col('MaxPods', 'string'),
    col('Replicas', 'string'),
    AGE,
  ],
  cells(hpa, now) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    return [
      hpa.metadata.name,
      `${ref.kind}/${ref.name}`,
      hpaTargets(hpa),
      hpa.spec?.minReplicas === undefined ? '<unset>' : String(hpa.spec.minReplicas),
      int(hpa.spec?.maxReplicas),
      int(hpa.status?.currentReplicas),
      age(hpa, now),
    ];
  },
};

const pdbPrinter: Printer = {
  columns: [NAME, col('Min Available', 'string'), col('Max Unavailable', 'string'), col('Allowed Disruptions', 'integer'), AGE],
  cells: (pdb, now) => [
    pdb.metadata.name,
    pdb.spec?.minAvailable === undefined ? 'N/A' : String(pdb.spec.minAvailable),
    pdb.spec?.maxUnavailable === undefined ? 'N/A' : String(pdb.spec.maxUnavailable),
    int(pdb.status?.disruptionsAllowed),
    age(pdb, now),
  ],
};

const resourceQuotaPrinter: Printer = {
  columns: [NAME, AGE, col('Request', 'string'), col('Limit', 'string')],
  cells(q, now) {
    const hard = q.status?.hard ?? q.spec?.hard ?? {};
    const used = q.status?.used ?? {};
    const req: string[] = [];
    const lim: string[] = [];
    for (const k of Object.keys(hard).sort()) {
      const entry = `${k}: ${used[k] ?? '0'}/${hard[k]}`;
      if (k.startsWith('limits.')) lim.push(entry);
      else req.push(entry);
    }
    return [q.metadata.name, age(q, now), req.join(', '), lim.join(', ')];
  },
};

/** The default table convertor: NAME and CREATED AT. */
export const defaultPrinter: Printer = {
  columns: [NAME, col('Created At', 'date', 0, '', 'CreationTimestamp is a timestamp representing the server time when this object was created.')],
  cells: o => [o.metadata.name, o.metadata.creationTimestamp ?? ''],
};

const PRINTERS: Record<string, Printer> = {
  Pod: podPrinter,
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
  StatefulSet: statefulSetPrinter,
  DaemonSet: daemonSetPrinter,
  Job: jobPrinter,
  CronJob: cronJobPrinter,
  Service: servicePrinter,
  Endpoints: endpointsPrinter,
  Ingress: ingressPrinter,
  IngressClass: ingressClassPrinter,
  NetworkPolicy: networkPolicyPrinter,
  Event: eventPrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  PersistentVolumeClaim: pvcPrinter,
  PersistentVolume: pvPrinter,
  HorizontalPodAutoscaler: hpaPrinter,
  PodDisruptionBudget: pdbPrinter,
  ResourceQuota: resourceQuotaPrinter,
};

export function printerFor(kind: string): Printer {
  return PRINTERS[kind] ?? defaultPrinter;
}
