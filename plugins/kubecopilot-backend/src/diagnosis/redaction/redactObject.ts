import type { V1EnvFromSource, V1EnvVar, V1Pod } from '@kubernetes/client-node';
import { REDACTED, RedactionResult, redactText } from './redactText';

/** Env var names whose literal value is treated as a secret. */
export const SECRET_ENV_NAME =
  /PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL|PRIVATE/i;

/**
 * `kubectl apply` stores the whole last applied manifest here, env values
 * included, so it would undo every other rule.
 */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = unknown;

/** Counts masks while walking one object. */
class Walker {
  redactions = 0;

  text(s: string): string {
    const r = redactText(s);
    this.redactions += r.redactions;
    return r.value;
  }

  value(v: Json, key?: string): Json {
    if (typeof v === 'string') return this.text(v);
    if (Array.isArray(v)) {
      if (key === 'env') return v.map(e => this.envVar(e as V1EnvVar));
      if (key === 'envFrom')
        return v.map(e => envFromRef(e as V1EnvFromSource));
      return v.map(x => this.value(x));
    }
    if (v instanceof Date) return v;
    if (v && typeof v === 'object')
      return this.object(v as Record<string, Json>);
    return v;
  }

  object(o: Record<string, Json>): Record<string, Json> {
    if (isSecret(o)) return this.secret(o);
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === 'metadata' && v && typeof v === 'object')
        out[k] = this.metadata(v as Record<string, Json>);
      else out[k] = this.value(v, k);
    }
    return out;
  }

  metadata(meta: Record<string, Json>): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(meta)) {
      // managedFields is field ownership bookkeeping: no values, only noise.
      if (k === 'managedFields') continue;
      if (k === 'annotations' && v && typeof v === 'object') {
        const annotations: Record<string, Json> = {};
        for (const [ak, av] of Object.entries(v as Record<string, Json>)) {
          if (ak === LAST_APPLIED) {
            this.redactions += 1;
            continue;
          }
          annotations[ak] = this.value(av);
        }
        out[k] = annotations;
        continue;
      }
      out[k] = this.value(v, k);
    }
    return out;
  }

  /** A Secret keeps only what identifies it; its data never leaves. */
  secret(o: Record<string, Json>): Record<string, Json> {
    if ('data' in o || 'stringData' in o) this.redactions += 1;
    const out: Record<string, Json> = {};
    if (o.apiVersion !== undefined) out.apiVersion = o.apiVersion;
    if (o.kind !== undefined) out.kind = o.kind;
    if (o.metadata && typeof o.metadata === 'object')
      out.metadata = this.metadata(o.metadata as Record<string, Json>);
    if (typeof o.type === 'string') out.type = o.type;
    return out;
  }

  envVar(e: V1EnvVar): V1EnvVar {
    const secretRef = e.valueFrom?.secretKeyRef;
    if (secretRef) {
      // The reference (which Secret, which key) is what a diagnosis needs.
      return {
        name: e.name,
        valueFrom: {
          secretKeyRef: { name: secretRef.name, key: secretRef.key },
        },
      };
    }
    if (typeof e.value === 'string') {
      if (SECRET_ENV_NAME.test(e.name)) {
        if (e.value !== '') this.redactions += 1;
        return { ...e, value: e.value === '' ? '' : REDACTED };
      }
      // A harmless name can still carry a secret (`DATABASE_URL=postgres://u:p@h`).
      return { ...e, value: this.text(e.value) };
    }
    return this.value(e) as V1EnvVar;
  }
}

function envFromRef(e: V1EnvFromSource): V1EnvFromSource {
  const out: V1EnvFromSource = {};
  if (e.prefix !== undefined) out.prefix = e.prefix;
  if (e.configMapRef)
    out.configMapRef = {
      name: e.configMapRef.name,
      ...(e.configMapRef.optional !== undefined
        ? { optional: e.configMapRef.optional }
        : {}),
    };
  if (e.secretRef) out.secretRef = { name: e.secretRef.name };
  return out;
}

/**
 * A Secret, with or without `kind` (items of a typed list come without it):
 * a `type` string next to `data`/`stringData` is a Secret's shape; a ConfigMap
 * has no `type`.
 */
function isSecret(o: Record<string, Json>): boolean {
  if (o.kind === 'Secret') return true;
  return (
    o.kind === undefined &&
    typeof o.type === 'string' &&
    ('data' in o || 'stringData' in o) &&
    'metadata' in o
  );
}

/**
 * Redacts any Kubernetes object (or list, or plain JSON) before it leaves the
 * backend: Secret data removed, secret env references reduced to the
 * reference, secret-named literal env values masked, the last-applied
 * annotation dropped, and every string scrubbed with {@link redactText}.
 * Returns a copy; the input is not modified.
 */
export function redactObject<T>(obj: T): RedactionResult<T> {
  const w = new Walker();
  const value = w.value(obj) as T;
  return { value, redactions: w.redactions };
}

export function redactPod(pod: V1Pod): RedactionResult<V1Pod> {
  return redactObject(pod);
}
