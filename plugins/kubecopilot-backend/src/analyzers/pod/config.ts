import type { V1Pod } from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  describePod,
  eventEvidence,
  field,
  makeFinding,
  refOf,
} from '../common';
import {
  capitalize,
  containersOf,
  NAME,
  ownerName,
  PodScope,
  uniqueBy,
} from './scope';

// Missing ConfigMaps and Secrets: what the kubelet reported and what the
// gatherer's metadata-only existence checks found absent.

type RefKind = 'ConfigMap' | 'Secret';

export interface ConfigReference {
  kind: RefKind;
  name: string;
  /** Set for env/envFrom references; volumes belong to the pod. */
  container?: string;
  /** The key a `configMapKeyRef`/`secretKeyRef` reads. */
  key?: string;
  path: string;
}

/**
 * Every non-optional ConfigMap/Secret the pod spec references (env, envFrom,
 * volumes, projected volumes). The gatherer checks exactly these for
 * existence (metadata only) to fill `AnalysisContext.missing`.
 */
export function configReferencesOf(pod: V1Pod): ConfigReference[] {
  const refs: ConfigReference[] = [];
  const containers = [
    ...(pod.spec?.initContainers ?? []).map(c => ({
      c,
      key: 'initContainers',
    })),
    ...(pod.spec?.containers ?? []).map(c => ({ c, key: 'containers' })),
  ];
  for (const { c, key } of containers) {
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const sec = e.valueFrom?.secretKeyRef;
      const p = `spec.${key}[${c.name}].env[${e.name}].valueFrom`;
      if (cm?.name && !cm.optional)
        refs.push({
          kind: 'ConfigMap',
          name: cm.name,
          container: c.name,
          ...(cm.key ? { key: cm.key } : {}),
          path: `${p}.configMapKeyRef.name`,
        });
      if (sec?.name && !sec.optional)
        refs.push({
          kind: 'Secret',
          name: sec.name,
          container: c.name,
          ...(sec.key ? { key: sec.key } : {}),
          path: `${p}.secretKeyRef.name`,
        });
    }
    (c.envFrom ?? []).forEach((e, i) => {
      const p = `spec.${key}[${c.name}].envFrom[${i}]`;
      if (e.configMapRef?.name && !e.configMapRef.optional)
        refs.push({
          kind: 'ConfigMap',
          name: e.configMapRef.name,
          container: c.name,
          path: `${p}.configMapRef.name`,
        });
      if (e.secretRef?.name && !e.secretRef.optional)
        refs.push({
          kind: 'Secret',
          name: e.secretRef.name,
          container: c.name,
          path: `${p}.secretRef.name`,
        });
    });
  }
  for (const v of pod.spec?.volumes ?? []) {
    const p = `spec.volumes[${v.name}]`;
    if (v.configMap?.name && !v.configMap.optional)
      refs.push({
        kind: 'ConfigMap',
        name: v.configMap.name,
        path: `${p}.configMap.name`,
      });
    if (v.secret?.secretName && !v.secret.optional)
      refs.push({
        kind: 'Secret',
        name: v.secret.secretName,
        path: `${p}.secret.secretName`,
      });
    (v.projected?.sources ?? []).forEach((src, i) => {
      if (src.configMap?.name && !src.configMap.optional)
        refs.push({
          kind: 'ConfigMap',
          name: src.configMap.name,
          path: `${p}.projected.sources[${i}].configMap.name`,
        });
      if (src.secret?.name && !src.secret.optional)
        refs.push({
          kind: 'Secret',
          name: src.secret.name,
          path: `${p}.projected.sources[${i}].secret.name`,
        });
    });
  }
  return refs;
}

interface MissingItem {
  kind: RefKind;
  name: string;
  /** Set when the object exists but lacks the referenced key. */
  key?: string;
  container?: string;
  /** The pod cannot start because of it (a kubelet error was observed). */
  blocking: boolean;
  evidence: FindingEvidence[];
}

const NOT_FOUND = /\b(configmap|secret)s? "([^"]+)" not found/gi;
const MISSING_KEY =
  /couldn't find key (\S+) in (ConfigMap|Secret) [^/\s]+\/([^\s,;]+)/gi;

/** A kubelet message about a missing ConfigMap/Secret or key (reported here). */
export function isMissingConfigMessage(message: string): boolean {
  return (
    [...message.matchAll(NOT_FOUND), ...message.matchAll(MISSING_KEY)].length >
    0
  );
}

function kindOf(word: string): RefKind {
  return word.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
}

/**
 * Collects what the kubelet reported missing (CreateContainerConfigError,
 * FailedMount) and what the gatherer's metadata-only checks found absent,
 * then reports one finding per code and container.
 */
export function missingConfig(s: PodScope): Finding[] {
  const refs = configReferencesOf(s.pod);
  const items = missingItems(s, refs);
  if (items.length === 0) return [];

  // Group by code and container: one finding per container (or the pod) per code.
  const groups = new Map<string, MissingItem[]>();
  for (const item of items) {
    const key = `${item.kind}|${item.container ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()].map(group => missingFinding(s, refs, group));
}

function missingItems(s: PodScope, refs: ConfigReference[]): MissingItem[] {
  const { pod, ctx } = s;
  const namespace = pod.metadata?.namespace ?? '';
  const items: MissingItem[] = [];

  for (const c of containersOf(pod)) {
    const w = c.status.state?.waiting;
    if (w?.reason !== 'CreateContainerConfigError' || !w.message) continue;
    const ev = [
      field(`${c.statusPath}.state.waiting.reason`, w.reason),
      field(`${c.statusPath}.state.waiting.message`, w.message),
    ];
    for (const m of w.message.matchAll(NOT_FOUND)) {
      items.push({
        kind: kindOf(m[1]),
        name: m[2],
        container: c.name,
        blocking: true,
        evidence: ev,
      });
    }
    for (const m of w.message.matchAll(MISSING_KEY)) {
      items.push({
        kind: kindOf(m[2]),
        name: m[3],
        key: m[1],
        container: c.name,
        blocking: true,
        evidence: ev,
      });
    }
  }
  // Volumes are mounted before any container starts: once one has run,
  // FailedMount events are history, and only the existence check below says
  // whether the object is missing now.
  const mounted = containersOf(pod).some(
    c =>
      c.status.state?.running ||
      c.status.state?.terminated ||
      c.status.lastState?.terminated,
  );
  const failedMounts = mounted
    ? []
    : s.events.filter(x => x.reason === 'FailedMount');
  for (const e of failedMounts) {
    for (const m of (e.message ?? '').matchAll(NOT_FOUND)) {
      const kind = kindOf(m[1]);
      items.push({
        kind,
        name: m[2],
        container: soleContainer(refs, kind, m[2]),
        blocking: true,
        evidence: [eventEvidence(e)],
      });
    }
  }
  // Keys read from an object that exists but lacks them: only key NAMES
  // are ever gathered, so this works for Secrets without their values.
  for (const ref of refs.filter(r => r.key !== undefined)) {
    const known = ctx.objectKeys.find(
      k =>
        k.kind === ref.kind && k.name === ref.name && k.namespace === namespace,
    );
    if (!known || known.keys.includes(ref.key!)) continue;
    items.push({
      kind: ref.kind,
      name: ref.name,
      key: ref.key,
      container: ref.container,
      blocking: false,
      evidence: [
        field(
          `${ref.kind}/${ref.name} keys`,
          known.keys.length ? known.keys.join(', ') : '(none)',
        ),
        field(ref.path.replace(/\.name$/, '.key'), ref.key!),
      ],
    });
  }
  for (const miss of ctx.missing.filter(m => m.namespace === namespace)) {
    if (!refs.some(r => r.kind === miss.kind && r.name === miss.name)) continue;
    items.push({
      kind: miss.kind,
      name: miss.name,
      container: soleContainer(refs, miss.kind, miss.name),
      blocking: false,
      evidence: [
        field(
          `${miss.kind}/${miss.name}`,
          'not found (metadata-only existence check)',
        ),
      ],
    });
  }
  return items;
}

function missingFinding(
  s: PodScope,
  refs: ConfigReference[],
  group: MissingItem[],
): Finding {
  const { pod, ctx } = s;
  const namespace = pod.metadata?.namespace ?? '';
  const { kind, container } = group[0];
  const objects = uniqueBy(group, i => `${i.name}|${i.key ?? ''}`);
  const what = objects.map(i =>
    i.key
      ? `${kind} "${i.name}" has no key "${i.key}"`
      : `${kind} "${i.name}" does not exist in namespace ${namespace}`,
  );
  const blocking = group.some(i => i.blocking);
  let effect = ' (the pod still runs, but a new pod would not start)';
  if (blocking) {
    effect = container
      ? `, so container "${container}" cannot start`
      : ', so its volumes cannot be mounted and the pod cannot start';
  }
  const refEvidence = refs
    .filter(
      r =>
        r.kind === kind &&
        objects.some(o => o.name === r.name) &&
        (container === undefined ||
          r.container === container ||
          r.container === undefined),
    )
    .map(r => field(r.path, r.name));
  const evidence = uniqueBy(
    [...s.base, ...group.flatMap(i => i.evidence), ...refEvidence],
    e => JSON.stringify(e),
  );
  const fixes = objects.map(i =>
    i.key
      ? `add key "${i.key}" to ${kind} "${i.name}" or fix the key name in the reference`
      : `create ${kind} "${
          i.name
        }" in namespace ${namespace} or fix the reference in ${ownerName(s)}`,
  );
  return makeFinding(NAME, ctx, {
    code: kind === 'Secret' ? 'MissingSecret' : 'MissingConfigMap',
    severity: blocking ? 'error' : 'warning',
    resource: refOf('Pod', pod),
    container,
    message: `${describePod(pod, s.owner)}: ${what.join('; ')}${effect}.`,
    evidence,
    // The kubelet retries on its own once the object exists: no restart needed.
    proposedFix: {
      description: `${capitalize(
        fixes.join('; '),
      )}. The kubelet retries by itself once it exists; no restart is needed.`,
    },
  });
}

/** The one container whose env references the object, if exactly one does and no volume does. */
function soleContainer(
  refs: ConfigReference[],
  kind: RefKind,
  name: string,
): string | undefined {
  const matching = refs.filter(r => r.kind === kind && r.name === name);
  const containers = new Set(matching.map(r => r.container));
  if (containers.size !== 1) return undefined;
  return [...containers][0];
}
