/** Defaulting and validation, a small subset of what kube-apiserver's registry strategies do. */
import { KubeObject } from '../types';
import { ResourceType } from './resources';
import { StatusCause } from './errors';
import { selectorMatches } from '../selectors/labels';
import { deepEqual, isDns1123Label, isDns1123Subdomain, isPlainObject } from '../util';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

function podSpecDefaults(spec: any) {
  if (!isPlainObject(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  const sa = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  spec.serviceAccountName = sa;
  spec.serviceAccount = sa;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
  for (const list of [spec.initContainers, spec.containers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isPlainObject(c)) continue;
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      if (c.imagePullPolicy === undefined) {
        const image = String(c.image ?? '');
        const lastPart = image.split('/').pop() ?? '';
        const tagged = lastPart.includes(':') || image.includes('@');
        c.imagePullPolicy = !tagged || image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
      }
      c.resources ??= {};
      if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) p.protocol ??= 'TCP';
    }
  }
}

function templateDefaults(template: any) {
  if (!isPlainObject(template)) return;
  template.metadata ??= {};
  podSpecDefaults(template.spec);
}

function podTolerations(spec: any) {
  if (!isPlainObject(spec)) return;
  const tolerations: any[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some(t => t?.key === key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
}

export function qosClass(pod: KubeObject): string {
  const containers: any[] = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ];
  let anySet = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) anySet = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && String(req[r]) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Per kind: the defaults the API server applies on create (mutates). */
const CREATE_DEFAULTS: Record<string, (obj: KubeObject, spec: any) => void> = {
  Pod: obj => {
    obj.spec ??= {};
    podSpecDefaults(obj.spec);
    podTolerations(obj.spec);
    obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
  },
  Deployment: (obj, spec) => {
    if (isPlainObject(spec)) {
      spec.replicas ??= 1;
      spec.strategy ??= { type: 'RollingUpdate' };
      if ((spec.strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
        spec.strategy.type = 'RollingUpdate';
        spec.strategy.rollingUpdate ??= {};
        spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
        spec.strategy.rollingUpdate.maxSurge ??= '25%';
      }
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      templateDefaults(spec.template);
    }
    obj.status = {};
  },
  ReplicaSet: (obj, spec) => {
    if (isPlainObject(spec)) {
      spec.replicas ??= 1;
      templateDefaults(spec.template);
    }
    obj.status = { replicas: 0 };
  },
  StatefulSet: (obj, spec) => {
    if (isPlainObject(spec)) {
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
      spec.revisionHistoryLimit ??= 10;
      spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
      templateDefaults(spec.template);
    }
    obj.status = { replicas: 0, availableReplicas: 0 };
  },
  DaemonSet: (obj, spec) => {
    if (isPlainObject(spec)) {
      spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
      spec.revisionHistoryLimit ??= 10;
      templateDefaults(spec.template);
    }
    obj.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
  },
  Job: (obj, spec) => {
    if (isPlainObject(spec)) {
      spec.parallelism ??= 1;
      spec.completions ??= 1;
      spec.backoffLimit ??= 6;
      spec.completionMode ??= 'NonIndexed';
      spec.suspend ??= false;
      templateDefaults(spec.template);
      if (isPlainObject(spec.template?.spec)) spec.template.spec.restartPolicy ??= 'Never';
    }
    obj.status = {};
  },
  CronJob: (obj, spec) => {
    if (isPlainObject(spec)) {
      spec.concurrencyPolicy ??= 'Allow';
      spec.suspend ??= false;
      spec.successfulJobsHistoryLimit ??= 3;
      spec.failedJobsHistoryLimit ??= 1;
      templateDefaults(spec.jobTemplate?.spec?.template);
    }
    obj.status = {};
  },
  Service: obj => {
    obj.spec ??= {};
    obj.spec.type ??= 'ClusterIP';
    obj.spec.sessionAffinity ??= 'None';
    if (obj.spec.type !== 'ExternalName') {
      obj.spec.ipFamilies ??= ['IPv4'];
      obj.spec.ipFamilyPolicy ??= 'SingleStack';
      obj.spec.internalTrafficPolicy ??= 'Cluster';
    }
    if (Array.isArray(obj.spec.ports)) {
      for (const p of obj.spec.ports) {
        if (!isPlainObject(p)) continue;
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
    }
    obj.status = { loadBalancer: {} };
  },
  Namespace: obj => {
    obj.spec ??= {};
    obj.spec.finalizers ??= ['kubernetes'];
    obj.status = { phase: 'Active' };
    obj.metadata.labels = {
      ...(obj.metadata.labels ?? {}),
      'kubernetes.io/metadata.name': obj.metadata.name!,
    };
  },
  Secret: obj => {
    obj.type ??= 'Opaque';
    normalizeSecret(obj);
  },
  PersistentVolumeClaim: obj => {
    obj.spec ??= {};
    obj.spec.volumeMode ??= 'Filesystem';
    obj.status = { phase: 'Pending' };
  },
  Ingress: obj => {
    obj.status = { loadBalancer: {} };
  },
  HorizontalPodAutoscaler: obj => {
    obj.status = {};
  },
  PodDisruptionBudget: obj => {
    obj.status = {};
  },
};

/** Applies defaults to an object about to be created (mutates). */
export function applyCreateDefaults(rt: ResourceType, obj: KubeObject) {
  if (rt.statusSubresource && !['Node', 'PersistentVolume', 'Namespace'].includes(rt.kind)) {
    // like PrepareForCreate: clients cannot set status on create
    delete obj.status;
  }
  CREATE_DEFAULTS[rt.kind]?.(obj, obj.spec);
}

/** Secrets: `stringData` is merged into base64 `data` on write. */
export function normalizeSecret(obj: KubeObject) {
  if (isPlainObject(obj.stringData)) {
    obj.data = { ...(isPlainObject(obj.data) ? obj.data : {}) };
    for (const [k, v] of Object.entries(obj.stringData)) {
      obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    }
    delete obj.stringData;
  }
}

function nameCauses(rt: ResourceType, name: string): StatusCause[] {
  if (rt.kind === 'Namespace' || rt.kind === 'Service') {
    const dns1035 = rt.kind === 'Service';
    const ok = dns1035 ? /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.length <= 63 : isDns1123Label(name);
    if (!ok) {
      return [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "${name}": ${dns1035 ? DNS1035_MSG : LABEL_MSG}` }];
    }
    return [];
  }
  if (rt.kind === 'Event') return name ? [] : [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value' }];
  if (!isDns1123Subdomain(name)) {
    return [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "${name}": ${SUBDOMAIN_MSG}` }];
  }
  return [];
}

function labelCauses(labels: unknown, field: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (!isPlainObject(labels)) return [{ field, reason: 'FieldValueInvalid', message: 'Invalid value: must be a map of strings' }];
  const out: StatusCause[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (typeof v !== 'string' || !(v.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v))) {
      out.push({
        field,
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
    if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(k)) {
      out.push({ field, reason: 'FieldValueInvalid', message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` });
    }
  }
  return out;
}

function containerCauses(list: unknown, field: string, required: boolean): StatusCause[] {
  if (list === undefined || list === null) {
    return required ? [{ field, reason: 'FieldValueRequired', message: 'Required value' }] : [];
  }
  if (!Array.isArray(list)) return [{ field, reason: 'FieldValueInvalid', message: 'Invalid value: must be a list' }];
  if (required && list.length === 0) return [{ field, reason: 'FieldValueRequired', message: 'Required value' }];
  const out: StatusCause[] = [];
  const seen = new Set<string>();
  list.forEach((c, i) => {
    if (!isPlainObject(c)) {
      out.push({ field: `${field}[${i}]`, reason: 'FieldValueInvalid', message: 'Invalid value: must be an object' });
      return;
    }
    if (!c.name) out.push({ field: `${field}[${i}].name`, reason: 'FieldValueRequired', message: 'Required value' });
    else if (!isDns1123Label(String(c.name))) {
      out.push({ field: `${field}[${i}].name`, reason: 'FieldValueInvalid', message: `Invalid value: "${c.name}": ${LABEL_MSG}` });
    } else if (seen.has(c.name)) {
      out.push({ field: `${field}[${i}].name`, reason: 'FieldValueDuplicate', message: `Duplicate value: "${c.name}"` });
    }
    seen.add(c.name);
    if (!c.image || typeof c.image !== 'string') {
      out.push({ field: `${field}[${i}].image`, reason: 'FieldValueRequired', message: 'Required value' });
    }
  });
  return out;
}

function podSpecCauses(spec: unknown, field: string): StatusCause[] {
  if (!isPlainObject(spec)) return [{ field, reason: 'FieldValueRequired', message: 'Required value' }];
  return [
    ...containerCauses(spec.containers, `${field}.containers`, true),
    ...containerCauses(spec.initContainers, `${field}.initContainers`, false),
  ];
}

function replicasCauses(v: unknown, field: string): StatusCause[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    return [{ field, reason: 'FieldValueInvalid', message: `Invalid value: "${String(v)}": must be an integer` }];
  }
  if (v < 0) return [{ field, reason: 'FieldValueInvalid', message: `Invalid value: ${v}: must be greater than or equal to 0` }];
  return [];
}

function workloadCauses(obj: KubeObject, templatePath = 'spec.template'): StatusCause[] {
  const spec = obj.spec;
  if (!isPlainObject(spec)) return [{ field: 'spec', reason: 'FieldValueRequired', message: 'Required value' }];
  const out: StatusCause[] = [...replicasCauses(spec.replicas, 'spec.replicas')];
  if (!isPlainObject(spec.selector)) {
    out.push({ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' });
  } else if (
    Object.keys(spec.selector.matchLabels ?? {}).length === 0 &&
    (spec.selector.matchExpressions ?? []).length === 0
  ) {
    out.push({ field: 'spec.selector', reason: 'FieldValueInvalid', message: 'Invalid value: "null": empty selector is invalid for deployment' });
  }
  const template = spec.template;
  if (!isPlainObject(template)) {
    out.push({ field: templatePath, reason: 'FieldValueRequired', message: 'Required value' });
    return out;
  }
  out.push(...labelCauses(template.metadata?.labels, `${templatePath}.metadata.labels`));
  if (isPlainObject(spec.selector) && !selectorMatches(spec.selector, template.metadata?.labels)) {
    out.push({
      field: `${templatePath}.metadata.labels`,
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(template.metadata?.labels ?? {})}: \`selector\` does not match template \`labels\``,
    });
  }
  out.push(...podSpecCauses(template.spec, `${templatePath}.spec`));
  return out;
}

/** Validation causes for an object about to be stored (create or update). */
export function validate(rt: ResourceType, obj: KubeObject, old?: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = obj.metadata?.name ?? '';
  if (!name) {
    causes.push({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
  } else causes.push(...nameCauses(rt, name));
  causes.push(...labelCauses(obj.metadata?.labels, 'metadata.labels'));
  if (obj.metadata?.annotations !== undefined && obj.metadata?.annotations !== null) {
    if (!isPlainObject(obj.metadata.annotations) || Object.values(obj.metadata.annotations).some(v => typeof v !== 'string')) {
      causes.push({ field: 'metadata.annotations', reason: 'FieldValueInvalid', message: 'Invalid value: annotations must be a map of strings' });
    }
  }
  switch (rt.kind) {
    case 'Pod':
      causes.push(...podSpecCauses(obj.spec, 'spec'));
      if (old && causes.length === 0) causes.push(...podUpdateCauses(old, obj));
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      causes.push(...workloadCauses(obj));
      if (old && old.spec?.selector && !deepEqual(old.spec.selector, obj.spec?.selector)) {
        causes.push({
          field: 'spec.selector',
          reason: 'FieldValueInvalid',
          message: `Invalid value: ${JSON.stringify(obj.spec?.selector)}: field is immutable`,
        });
      }
      break;
    case 'Job':
      if (!isPlainObject(obj.spec)) causes.push({ field: 'spec', reason: 'FieldValueRequired', message: 'Required value' });
      else causes.push(...podSpecCauses(obj.spec.template?.spec, 'spec.template.spec'));
      break;
    case 'CronJob':
      if (!obj.spec?.schedule) causes.push({ field: 'spec.schedule', reason: 'FieldValueRequired', message: 'Required value' });
      causes.push(...podSpecCauses(obj.spec?.jobTemplate?.spec?.template?.spec, 'spec.jobTemplate.spec.template.spec'));
      break;
    case 'Service': {
      const spec = obj.spec ?? {};
      const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
      if (spec.type && !types.includes(spec.type)) {
        causes.push({ field: 'spec.type', reason: 'FieldValueNotSupported', message: `Unsupported value: "${spec.type}": supported values: "${types.join('", "')}"` });
      }
      if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
        if (!Array.isArray(spec.ports) || spec.ports.length === 0) {
          causes.push({ field: 'spec.ports', reason: 'FieldValueRequired', message: 'Required value' });
        }
      }
      (Array.isArray(spec.ports) ? spec.ports : []).forEach((p: any, i: number) => {
        const port = p?.port;
        if (typeof port !== 'number' || port < 1 || port > 65535) {
          causes.push({ field: `spec.ports[${i}].port`, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(port)}: must be between 1 and 65535, inclusive` });
        }
      });
      if (old && old.spec?.clusterIP && obj.spec?.clusterIP && old.spec.clusterIP !== obj.spec.clusterIP) {
        causes.push({ field: 'spec.clusterIPs[0]', reason: 'FieldValueInvalid', message: `Invalid value: []string{"${obj.spec.clusterIP}"}: may not change once set` });
      }
      break;
    }
    case 'ConfigMap':
    case 'Secret':
      for (const field of ['data', 'binaryData']) {
        const data = (obj as any)[field];
        if (data === undefined || data === null) continue;
        if (!isPlainObject(data)) {
          causes.push({ field, reason: 'FieldValueInvalid', message: 'Invalid value: must be a map' });
          continue;
        }
        for (const k of Object.keys(data)) {
          if (!/^[-._a-zA-Z0-9]+$/.test(k)) {
            causes.push({ field: `${field}[${k}]`, reason: 'FieldValueInvalid', message: `Invalid value: "${k}": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')` });
          }
          if (rt.kind === 'Secret' && field === 'data' && typeof data[k] === 'string' && !/^[A-Za-z0-9+/]*={0,2}$/.test(data[k])) {
            causes.push({ field: `${field}[${k}]`, reason: 'FieldValueInvalid', message: 'Invalid value: "<secret contents redacted>": illegal base64 data' });
          }
        }
      }
      break;
    case 'Event':
      if (!isPlainObject(obj.involvedObject)) {
        causes.push({ field: 'involvedObject', reason: 'FieldValueRequired', message: 'Required value' });
      }
      break;
    default:
      break;
  }
  return causes;
}

function podUpdateCauses(old: KubeObject, obj: KubeObject): StatusCause[] {
  const strip = (spec: any) => {
    const s = JSON.parse(JSON.stringify(spec ?? {}));
    for (const list of [s.containers, s.initContainers]) {
      if (Array.isArray(list)) for (const c of list) if (isPlainObject(c)) delete c.image;
    }
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    return s;
  };
  if (!deepEqual(strip(old.spec), strip(obj.spec))) {
    return [
      {
        field: 'spec',
        reason: 'FieldValueForbidden',
        message:
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      },
    ];
  }
  return [];
}

/** A pod template with defaults applied and without `pod-template-hash`, for comparisons. */
/**
 * The API server stores objects as Go structs whose `labels` and `annotations` maps are
 * `omitempty`: a map left empty (e.g. a strategic merge patch setting its last key to null, as
 * the revert of `kubectl rollout restart` does) is not written back as `{}` but disappears.
 */
export function dropEmptyMetadataMaps(obj: KubeObject) {
  const metas = [obj.metadata, obj.spec?.template?.metadata, obj.spec?.jobTemplate?.metadata, obj.spec?.jobTemplate?.spec?.template?.metadata];
  for (const meta of metas) {
    if (!isPlainObject(meta)) continue;
    for (const key of ['labels', 'annotations']) {
      if (isPlainObject(meta[key]) && Object.keys(meta[key]).length === 0) delete meta[key];
    }
  }
}

export function normalizeTemplate(template: unknown): any {
  const t = JSON.parse(JSON.stringify(template ?? {}));
  templateDefaults(t);
  if (isPlainObject(t.metadata?.labels)) {
    delete t.metadata.labels['pod-template-hash'];
    delete t.metadata.labels['controller-revision-hash'];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  if (isPlainObject(t.metadata?.annotations) && Object.keys(t.metadata.annotations).length === 0) {
    delete t.metadata.annotations;
  }
  if (isPlainObject(t.metadata)) delete t.metadata.creationTimestamp;
  return t;
}
