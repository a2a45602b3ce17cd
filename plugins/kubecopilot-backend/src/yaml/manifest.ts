import { InputError } from '@backstage/errors';
import { parseAllDocuments, stringify } from 'yaml';
import { forStorage } from '../changes/forStorage';
import type { KubeObject } from '../kubernetes/types';

/**
 * Metadata the API server sets and a person never writes: hidden in the
 * YAML view and ignored when an edited manifest is compared with the live one.
 */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];
const SERVER_ANNOTATIONS = ['deployment.kubernetes.io/revision'];

/** An object minus status and server-set metadata (nothing masked). */
export function withoutServerFields(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  delete copy.status;
  if (copy.metadata) {
    for (const field of SERVER_METADATA) delete copy.metadata[field];
    const annotations = copy.metadata.annotations;
    if (annotations) {
      for (const key of SERVER_ANNOTATIONS) delete annotations[key];
      if (Object.keys(annotations).length === 0)
        delete copy.metadata.annotations;
    }
  }
  return copy;
}

/**
 * The live object as the YAML view shows it: what a person would write,
 * with anything that looks like a credential masked (as in a plan's diff).
 */
export function displayObject(live: KubeObject): KubeObject {
  return withoutServerFields(forStorage(live) as KubeObject);
}

export function displayManifest(live: KubeObject): string {
  return stringify(displayObject(live), { lineWidth: 0 });
}

/**
 * YAML text → one Kubernetes object. A 400 says where the text is broken.
 */
export function parseManifest(text: string): KubeObject {
  const documents = parseAllDocuments(text, { prettyErrors: true });
  if (!Array.isArray(documents)) {
    throw new InputError('the manifest is empty');
  }
  const nonEmpty = documents.filter(d => d.contents !== null);
  if (nonEmpty.length !== 1) {
    throw new InputError(
      `the manifest must hold exactly one object; it holds ${nonEmpty.length}`,
    );
  }
  const [document] = nonEmpty;
  if (document.errors.length > 0) {
    throw new InputError(
      `the manifest is not valid YAML: ${document.errors[0].message}`,
    );
  }
  const object = document.toJS({ maxAliasCount: 50 });
  if (!object || typeof object !== 'object' || Array.isArray(object)) {
    throw new InputError(
      'the manifest must be a YAML mapping (a Kubernetes object)',
    );
  }
  if (
    typeof object.kind !== 'string' ||
    typeof object.metadata?.name !== 'string'
  ) {
    throw new InputError('the manifest must have a kind and metadata.name');
  }
  return object as KubeObject;
}

/** Where a workload kind keeps its pod template. */
export function podSpecPath(kind: string | undefined): string {
  return kind === 'CronJob'
    ? 'spec.jobTemplate.spec.template.spec'
    : 'spec.template.spec';
}

export function podSpecOf(object: KubeObject): Record<string, any> | undefined {
  return object.kind === 'CronJob'
    ? object.spec?.jobTemplate?.spec?.template?.spec
    : object.spec?.template?.spec;
}

export function podLabelsOf(object: KubeObject): Record<string, string> {
  const template =
    object.kind === 'CronJob'
      ? object.spec?.jobTemplate?.spec?.template
      : object.spec?.template;
  return template?.metadata?.labels ?? {};
}

/** A container with the path it lives at. */
export interface LocatedContainer {
  container: Record<string, any>;
  path: string;
  /** `containers` or `initContainers`. */
  list: string;
}

export function containersOf(
  object: KubeObject,
  lists: string[] = ['containers'],
): LocatedContainer[] {
  const pod = podSpecOf(object) ?? {};
  const base = podSpecPath(object.kind);
  return lists.flatMap(list =>
    ((pod[list] as any[]) ?? []).map((container, i) => ({
      container,
      path: `${base}.${list}[${i}]`,
      list,
    })),
  );
}

/** Long-running kinds: they serve, so probes and disruption budgets matter. */
export function isLongRunning(kind: string | undefined) {
  return (
    kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet'
  );
}

/** Kinds with a `spec.replicas` of their own. */
export function isReplicated(kind: string | undefined) {
  return kind === 'Deployment' || kind === 'StatefulSet';
}
