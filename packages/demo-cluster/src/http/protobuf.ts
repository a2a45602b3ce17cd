/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies, for the objects kubectl's
 * typed generators send (`kubectl create configmap|secret|namespace|serviceaccount|deployment|
 * service|job|cronjob|poddisruptionbudget|quota`). A small hand-written schema of the fields
 * those objects use (field numbers from the Kubernetes generated.proto files); anything else is
 * refused with 415 and a hint to send JSON. Responses are always JSON, which clients accept.
 */
import { ApiError, errors } from '../api/errors';

type Scalar = 'string' | 'bytes' | 'int32' | 'int64' | 'bool' | 'time' | 'quantity' | 'intOrString';
interface Field {
  name: string;
  type: Scalar | { msg: string } | { map: Scalar | { msg: string } };
  repeated?: boolean;
  /** Pointer field in Go: a zero value is meaningful (kept). */
  ptr?: boolean;
  /** Embedded struct whose fields are inlined in JSON (LocalObjectReference in selectors). */
  inline?: boolean;
  /** Decoded and dropped (server-managed). */
  skip?: boolean;
}
type Schema = Record<number, Field>;

const s = (name: string, extra: Partial<Field> = {}): Field => ({ name, type: 'string', ...extra });
const i32 = (name: string, ptr = false): Field => ({ name, type: 'int32', ptr });
const i64 = (name: string, ptr = false): Field => ({ name, type: 'int64', ptr });
const b = (name: string, ptr = false): Field => ({ name, type: 'bool', ptr });
const m = (name: string, msg: string, extra: Partial<Field> = {}): Field => ({ name, type: { msg }, ...extra });
const rep = (name: string, msg?: string): Field => ({ name, type: msg ? { msg } : 'string', repeated: true });
const strMap = (name: string): Field => ({ name, type: { map: 'string' } });

const SCHEMAS: Record<string, Schema> = {
  // k8s.io/apimachinery/pkg/apis/meta/v1
  TypeMeta: { 1: s('apiVersion'), 2: s('kind') },
  ObjectMeta: {
    1: s('name'),
    2: s('generateName'),
    3: s('namespace'),
    4: s('selfLink'),
    5: s('uid'),
    6: s('resourceVersion'),
    7: i64('generation'),
    8: { name: 'creationTimestamp', type: 'time' },
    9: { name: 'deletionTimestamp', type: 'time' },
    10: i64('deletionGracePeriodSeconds', true),
    11: strMap('labels'),
    12: strMap('annotations'),
    13: rep('ownerReferences', 'OwnerReference'),
    14: rep('finalizers'),
    17: { name: 'managedFields', type: { msg: 'Opaque' }, repeated: true, skip: true },
  },
  OwnerReference: { 1: s('kind'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: b('controller', true), 7: b('blockOwnerDeletion', true) },
  LabelSelector: { 1: strMap('matchLabels'), 2: rep('matchExpressions', 'LabelSelectorRequirement') },
  LabelSelectorRequirement: { 1: s('key'), 2: s('operator'), 3: rep('values') },
  // k8s.io/api/core/v1
  ConfigMap: { 1: m('metadata', 'ObjectMeta'), 2: strMap('data'), 3: { name: 'binaryData', type: { map: 'bytes' } }, 4: b('immutable', true) },
  Secret: {
    1: m('metadata', 'ObjectMeta'),
    2: { name: 'data', type: { map: 'bytes' } },
    3: s('type'),
    4: strMap('stringData'),
    5: b('immutable', true),
  },
  Namespace: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'NamespaceSpec'), 3: m('status', 'Opaque') },
  NamespaceSpec: { 1: rep('finalizers') },
  ServiceAccount: {
    1: m('metadata', 'ObjectMeta'),
    2: rep('secrets', 'ObjectReference'),
    3: rep('imagePullSecrets', 'LocalObjectReference'),
    4: b('automountServiceAccountToken', true),
  },
  LocalObjectReference: { 1: s('name') },
  ObjectReference: { 1: s('kind'), 2: s('namespace'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: s('resourceVersion'), 7: s('fieldPath') },
  Service: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ServiceSpec'), 3: m('status', 'Opaque') },
  ServiceSpec: {
    1: rep('ports', 'ServicePort'),
    2: strMap('selector'),
    3: s('clusterIP'),
    4: s('type'),
    5: rep('externalIPs'),
    7: s('sessionAffinity'),
    8: s('loadBalancerIP'),
    9: rep('loadBalancerSourceRanges'),
    10: s('externalName'),
    11: s('externalTrafficPolicy'),
    12: i32('healthCheckNodePort'),
    13: b('publishNotReadyAddresses'),
    17: s('ipFamilyPolicy', { ptr: true }),
    18: rep('clusterIPs'),
    19: rep('ipFamilies'),
    20: b('allocateLoadBalancerNodePorts', true),
    21: s('loadBalancerClass', { ptr: true }),
    22: s('internalTrafficPolicy', { ptr: true }),
  },
  ServicePort: { 1: s('name'), 2: s('protocol'), 3: i32('port'), 4: { name: 'targetPort', type: 'intOrString' }, 5: i32('nodePort'), 6: s('appProtocol', { ptr: true }) },
  PodTemplateSpec: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  PodSpec: {
    2: rep('containers', 'Container'),
    3: s('restartPolicy'),
    4: i64('terminationGracePeriodSeconds', true),
    5: i64('activeDeadlineSeconds', true),
    6: s('dnsPolicy'),
    7: strMap('nodeSelector'),
    8: s('serviceAccountName'),
    9: s('serviceAccount'),
    10: s('nodeName'),
    11: b('hostNetwork'),
    12: b('hostPID'),
    13: b('hostIPC'),
    14: m('securityContext', 'Opaque'),
    15: rep('imagePullSecrets', 'LocalObjectReference'),
    16: s('hostname'),
    17: s('subdomain'),
    19: s('schedulerName'),
    20: rep('initContainers', 'Container'),
    21: b('automountServiceAccountToken', true),
    22: rep('tolerations', 'Toleration'),
    24: s('priorityClassName'),
    25: i32('priority', true),
    29: s('runtimeClassName', { ptr: true }),
    30: b('enableServiceLinks', true),
    31: s('preemptionPolicy', { ptr: true }),
  },
  Container: {
    1: s('name'),
    2: s('image'),
    3: rep('command'),
    4: rep('args'),
    5: s('workingDir'),
    6: rep('ports', 'ContainerPort'),
    7: rep('env', 'EnvVar'),
    8: m('resources', 'ResourceRequirements'),
    13: s('terminationMessagePath'),
    14: s('imagePullPolicy'),
    16: b('stdin'),
    17: b('stdinOnce'),
    18: b('tty'),
    19: rep('envFrom', 'EnvFromSource'),
    20: s('terminationMessagePolicy'),
  },
  ContainerPort: { 1: s('name'), 2: i32('hostPort'), 3: i32('containerPort'), 4: s('protocol'), 5: s('hostIP') },
  EnvVar: { 1: s('name'), 2: s('value'), 3: m('valueFrom', 'EnvVarSource') },
  EnvVarSource: { 3: m('configMapKeyRef', 'KeySelector'), 4: m('secretKeyRef', 'KeySelector') },
  KeySelector: { 1: m('localObjectReference', 'LocalObjectReference', { inline: true }), 2: s('key'), 3: b('optional', true) },
  EnvFromSource: { 1: s('prefix'), 2: m('configMapRef', 'EnvSource'), 3: m('secretRef', 'EnvSource') },
  EnvSource: { 1: m('localObjectReference', 'LocalObjectReference', { inline: true }), 2: b('optional', true) },
  ResourceRequirements: { 1: { name: 'limits', type: { map: 'quantity' } }, 2: { name: 'requests', type: { map: 'quantity' } } },
  Toleration: { 1: s('key'), 2: s('operator'), 3: s('value'), 4: s('effect'), 5: i64('tolerationSeconds', true) },
  ResourceQuota: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'ResourceQuotaSpec'), 3: m('status', 'Opaque') },
  ResourceQuotaSpec: { 1: { name: 'hard', type: { map: 'quantity' } }, 2: rep('scopes') },
  // k8s.io/api/apps/v1
  Deployment: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'DeploymentSpec'), 3: m('status', 'Opaque') },
  DeploymentSpec: {
    1: i32('replicas', true),
    2: m('selector', 'LabelSelector'),
    3: m('template', 'PodTemplateSpec'),
    4: m('strategy', 'DeploymentStrategy'),
    5: i32('minReadySeconds'),
    6: i32('revisionHistoryLimit', true),
    7: b('paused'),
    9: i32('progressDeadlineSeconds', true),
  },
  DeploymentStrategy: { 1: s('type'), 2: m('rollingUpdate', 'RollingUpdateDeployment') },
  RollingUpdateDeployment: { 1: { name: 'maxUnavailable', type: 'intOrString' }, 2: { name: 'maxSurge', type: 'intOrString' } },
  // k8s.io/api/batch/v1
  Job: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'JobSpec'), 3: m('status', 'Opaque') },
  JobSpec: {
    1: i32('parallelism', true),
    2: i32('completions', true),
    3: i64('activeDeadlineSeconds', true),
    4: m('selector', 'LabelSelector'),
    5: b('manualSelector', true),
    6: m('template', 'PodTemplateSpec'),
    7: i32('backoffLimit', true),
    8: i32('ttlSecondsAfterFinished', true),
    9: s('completionMode', { ptr: true }),
    10: b('suspend', true),
  },
  CronJob: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'CronJobSpec'), 3: m('status', 'Opaque') },
  CronJobSpec: {
    1: s('schedule'),
    2: i64('startingDeadlineSeconds', true),
    3: s('concurrencyPolicy'),
    4: b('suspend', true),
    5: m('jobTemplate', 'JobTemplateSpec'),
    6: i32('successfulJobsHistoryLimit', true),
    7: i32('failedJobsHistoryLimit', true),
    8: s('timeZone', { ptr: true }),
  },
  JobTemplateSpec: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'JobSpec') },
  // k8s.io/api/policy/v1
  PodDisruptionBudget: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodDisruptionBudgetSpec'), 3: m('status', 'Opaque') },
  PodDisruptionBudgetSpec: {
    1: { name: 'minAvailable', type: 'intOrString' },
    2: m('selector', 'LabelSelector'),
    3: { name: 'maxUnavailable', type: 'intOrString' },
    4: s('unhealthyPodEvictionPolicy', { ptr: true }),
  },
};

/** Top-level message per kind. */
const KINDS: Record<string, string> = {
  ConfigMap: 'ConfigMap',
  Secret: 'Secret',
  Namespace: 'Namespace',
  ServiceAccount: 'ServiceAccount',
  Service: 'Service',
  Deployment: 'Deployment',
  Job: 'Job',
  CronJob: 'CronJob',
  PodDisruptionBudget: 'PodDisruptionBudget',
  ResourceQuota: 'ResourceQuota',
};

class Unsupported extends Error {}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer, readonly end = buf.length) {}

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw new Unsupported('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Unsupported('varint too long');
    }
  }

  bytes(): Buffer {
    const len = Number(this.varint());
    if (len < 0 || this.pos + len > this.end) throw new Unsupported('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wire: number) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Unsupported(`unsupported wire type ${wire}`);
  }
}

function fields(buf: Buffer, fn: (num: number, wire: number, r: Reader) => void) {
  const r = new Reader(buf);
  while (r.pos < r.end) {
    const tag = Number(r.varint());
    fn(tag >> 3, tag & 7, r);
  }
}

function scalar(type: Scalar, wire: number, r: Reader): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'int32':
      return Number(BigInt.asIntN(32, r.varint()));
    case 'int64':
      return Number(BigInt.asIntN(64, r.varint()));
    case 'bool':
      return r.varint() !== 0n;
    case 'quantity': {
      let q = '';
      fields(r.bytes(), (n, w, rr) => {
        if (n === 1 && w === 2) q = rr.bytes().toString('utf8');
        else rr.skip(w);
      });
      return q;
    }
    case 'time': {
      let seconds = 0;
      fields(r.bytes(), (n, w, rr) => {
        if (n === 1 && w === 0) seconds = Number(BigInt.asIntN(64, rr.varint()));
        else rr.skip(w);
      });
      return seconds === 0 ? undefined : `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
    }
    case 'intOrString': {
      let kind = 0;
      let intVal = 0;
      let strVal = '';
      fields(r.bytes(), (n, w, rr) => {
        if (n === 1) kind = Number(rr.varint());
        else if (n === 2) intVal = Number(BigInt.asIntN(32, rr.varint()));
        else if (n === 3) strVal = rr.bytes().toString('utf8');
        else rr.skip(w);
      });
      return kind === 1 ? strVal : intVal;
    }
    default:
      throw new Unsupported(`wire type ${wire}`);
  }
}

function isZero(v: unknown): boolean {
  return v === undefined || v === '' || v === 0 || v === false;
}

function message(name: string, buf: Buffer, path: string): Record<string, unknown> {
  const out: Record<string, any> = {};
  if (name === 'Opaque') {
    // server-managed or unused parts (status, securityContext...): accepted only when empty
    if (buf.length > 0 && path !== 'status' && !path.endsWith('.status') && !path.endsWith('managedFields')) {
      throw new Unsupported(`${path} is not supported in protobuf`);
    }
    return out;
  }
  const schema = SCHEMAS[name];
  fields(buf, (num, wire, r) => {
    const f = schema[num];
    if (!f) throw new Unsupported(`${path ? `${path}: ` : ''}${name} field ${num} is not supported in protobuf`);
    const fieldPath = path ? `${path}.${f.name}` : f.name;
    let value: unknown;
    if (typeof f.type === 'object' && 'map' in f.type) {
      const vt = f.type.map;
      let key = '';
      let val: unknown = typeof vt === 'string' && vt === 'string' ? '' : undefined;
      fields(r.bytes(), (n, w, rr) => {
        if (n === 1) key = rr.bytes().toString('utf8');
        else if (n === 2) val = typeof vt === 'object' ? message(vt.msg, rr.bytes(), `${fieldPath}[${key}]`) : scalar(vt, w, rr);
        else rr.skip(w);
      });
      out[f.name] = { ...(out[f.name] ?? {}), [key]: val ?? '' };
      return;
    }
    if (typeof f.type === 'object') {
      if (wire !== 2) throw new Unsupported(`${fieldPath}: unexpected wire type ${wire}`);
      value = message(f.type.msg, r.bytes(), fieldPath);
    } else if (f.repeated && wire === 2 && ['int32', 'int64', 'bool'].includes(f.type)) {
      throw new Unsupported(`${fieldPath}: packed repeated scalars are not supported`);
    } else {
      value = scalar(f.type, wire, r);
    }
    if (f.skip) return;
    if (f.inline && value && typeof value === 'object') {
      Object.assign(out, value);
      return;
    }
    if (f.repeated) {
      out[f.name] = [...(out[f.name] ?? []), value];
      return;
    }
    if (typeof f.type === 'string' && !f.ptr && isZero(value)) return;
    if (value === undefined) return;
    out[f.name] = value;
  });
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a Kubernetes protobuf envelope into a JSON object (400/415 on failure). */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) {
    throw errors.badRequest('protobuf body without the k8s envelope');
  }
  let typeMeta: Record<string, any> = {};
  let raw: Buffer | undefined;
  try {
    fields(body.subarray(4), (num, wire, r) => {
      if (num === 1 && wire === 2) typeMeta = message('TypeMeta', r.bytes(), 'typeMeta');
      else if (num === 2 && wire === 2) raw = r.bytes();
      else r.skip(wire);
    });
    const kind = String(typeMeta.kind ?? '');
    const msg = KINDS[kind];
    if (!msg) throw new Unsupported(`kind ${kind || '(none)'} is not supported in protobuf`);
    const obj = message(msg, raw ?? Buffer.alloc(0), '');
    return { apiVersion: typeMeta.apiVersion, kind, ...obj };
  } catch (e) {
    if (e instanceof Unsupported) {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the demo cluster decodes protobuf only for what kubectl create sends for ${Object.keys(KINDS).join(', ')} (${e.message}); send JSON or YAML instead, e.g. kubectl apply -f`,
        { causes: [{ reason: 'UnsupportedMediaType', message: e.message }] },
      );
    }
    throw e;
  }
}
