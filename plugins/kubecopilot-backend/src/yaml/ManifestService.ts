import {
  BackstageCredentials,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kubecopilotDiagnosePermission,
  ManifestCheckRequest,
  ManifestCheckResponse,
  ManifestModelExplanation,
  ResourceRef,
  WorkloadManifestsResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { forStorage } from '../changes/forStorage';
import { collectionPath } from '../changes/kinds';
import { normalizeEntityRef } from '../identity/actor';
import type { KubeObject, KubernetesBackendClient } from '../kubernetes/types';
import type { MetricsClient } from '../prometheus';
import { runChecks } from './checks';
import { explainManifest } from './explain';
import {
  containersOf,
  displayManifest,
  displayObject,
  parseManifest,
} from './manifest';
import type { ManifestModelExplainer } from './ModelExplainer';
import { readObservedUse } from './observedUse';

/** The Kubernetes plugin's object types the YAML view shows, by kind. */
const TYPES: Record<string, { kind: string; apiVersion: string }> = {
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1' },
  statefulsets: { kind: 'StatefulSet', apiVersion: 'apps/v1' },
  daemonsets: { kind: 'DaemonSet', apiVersion: 'apps/v1' },
  cronjobs: { kind: 'CronJob', apiVersion: 'batch/v1' },
  jobs: { kind: 'Job', apiVersion: 'batch/v1' },
};

interface Workload {
  resource: ResourceRef & { namespace: string };
  object: KubeObject;
}

type Options = { credentials: BackstageCredentials };

export interface ManifestServiceOptions {
  kubernetes: KubernetesBackendClient;
  catalog: CatalogService;
  productionNamespaces: string[];
  /** Prometheus per cluster, for the checks against observed use; optional. */
  metrics?: MetricsClient;
  /** The model's explanation; undefined without `kubecopilot.llm`. */
  explainer?: ManifestModelExplainer;
}

/**
 * The YAML copilot's reads: an entity's workloads as manifests, and the
 * best-practice checks and explanation of one of them (live or edited).
 * Everything is read as the user, from the workloads the Kubernetes plugin
 * maps to the entity — never a Secret, never another entity's objects.
 */
export class ManifestService {
  constructor(private readonly options: ManifestServiceOptions) {}

  async listManifests(
    ref: string,
    { credentials }: Options,
  ): Promise<WorkloadManifestsResponse> {
    const { entityRef, workloads, response } = await this.workloadsOf(
      ref,
      credentials,
    );
    return {
      entityRef,
      items: workloads.map(w => ({
        resource: w.resource,
        manifest: displayManifest(w.object),
      })),
      errors: response.items
        .filter(i => i.errors.length > 0)
        .map(i => ({
          cluster: i.cluster.name,
          message: i.errors
            .map(e => ('message' in e ? e.message : e.errorType))
            .join('; '),
        })),
    };
  }

  async check(
    request: ManifestCheckRequest,
    { credentials }: Options,
  ): Promise<ManifestCheckResponse> {
    const { response } = await this.review(request, credentials);
    return { ...response, modelCanExplain: !!this.options.explainer };
  }

  /**
   * The model's explanation of the same manifest `check` reviews, told what
   * the rules already said; `ok: false` with the reason when no model is
   * configured or its answer is unusable or ungrounded.
   */
  async explain(
    request: ManifestCheckRequest,
    { credentials }: Options,
  ): Promise<ManifestModelExplanation> {
    const { target, object, response } = await this.review(
      request,
      credentials,
    );
    const explainer = this.options.explainer;
    if (!explainer) {
      return {
        ok: false,
        resource: target.resource,
        reason: 'no model is configured (kubecopilot.llm)',
      };
    }
    const answer = await explainer.explain({
      kind: target.resource.kind,
      name: target.resource.name,
      object: displayObject(object),
      text: displayManifest(object),
      rules: response.explanation,
      checks: response.checks,
    });
    return { ...answer, resource: target.resource };
  }

  /** The workload (live or edited), its checks and the rules' explanation. */
  private async review(
    request: ManifestCheckRequest,
    credentials: BackstageCredentials,
  ) {
    const { entityRef, workloads } = await this.workloadsOf(
      request.entityRef,
      credentials,
    );
    const target = pickWorkload(workloads, request.resource, entityRef);
    const object =
      request.manifest !== undefined
        ? sameObject(parseManifest(request.manifest), target)
        : target.object;
    const [pdbs, hpas, use] = await Promise.all([
      this.list(target.resource, 'PodDisruptionBudget', credentials),
      this.list(target.resource, 'HorizontalPodAutoscaler', credentials),
      // What the live workload's containers used, whatever the edit says.
      readObservedUse(
        this.options.metrics,
        target.resource,
        containersOf(target.object).map(c => c.container.name),
      ),
    ]);
    const context = {
      productionNamespaces: this.options.productionNamespaces,
      pdbs: pdbs.items,
      hpas: hpas.items,
      observed: use.observed,
    };
    const { checks, errors } = runChecks(object, context);
    const response: ManifestCheckResponse = {
      resource: target.resource,
      checks,
      // Explained from the masked object: an exec probe's command line may
      // carry a credential, and the explanation quotes it.
      explanation: explainManifest(forStorage(object) as KubeObject, context),
      warnings: [pdbs.error, hpas.error, use.note, ...errors].filter(
        (w): w is string => !!w,
      ),
    };
    return { target, object, response };
  }

  private async workloadsOf(ref: string, credentials: BackstageCredentials) {
    const entityRef = normalizeEntityRef(ref);
    const [entity, response] = await Promise.all([
      this.options.catalog.getEntityByRef(entityRef, { credentials }),
      this.options.kubernetes.getObjectsByEntity(entityRef, { credentials }),
    ]);
    if (!entity) throw new NotFoundError(`Entity '${entityRef}' not found`);
    return { entityRef, response, workloads: workloadsIn(response) };
  }

  private async list(
    resource: Workload['resource'],
    kind: string,
    credentials: BackstageCredentials,
  ): Promise<{ items?: KubeObject[]; error?: string }> {
    try {
      const list = await this.options.kubernetes.read<{ items?: KubeObject[] }>(
        {
          cluster: resource.cluster,
          path: collectionPath(kind, resource.namespace),
          credentials,
        },
      );
      return { items: list.items ?? [] };
    } catch (error) {
      return {
        error: `could not read ${kind}s in ${
          resource.namespace
        }, so the checks that need them did not run: ${
          (error as Error).message
        }`,
      };
    }
  }
}

/** Workload objects of the entity; a CronJob's runs are shown as the CronJob. */
export function workloadsIn(response: ObjectsByEntityResponse): Workload[] {
  return response.items.flatMap(item =>
    item.resources.flatMap(fetched => {
      const type = TYPES[fetched.type];
      if (!type) return [];
      return (fetched.resources as KubeObject[])
        .filter(
          o =>
            o.metadata?.name &&
            o.metadata.namespace &&
            !o.metadata.ownerReferences?.some(r => r.kind === 'CronJob'),
        )
        .map(object => ({
          resource: {
            cluster: item.cluster.name,
            kind: type.kind,
            namespace: object.metadata!.namespace!,
            name: object.metadata!.name!,
          },
          // List items carry no kind; the manifest reads as one written by hand.
          object: {
            apiVersion: object.apiVersion ?? type.apiVersion,
            kind: type.kind,
            ...object,
          },
        }));
    }),
  );
}

function pickWorkload(
  workloads: Workload[],
  want: ManifestCheckRequest['resource'],
  entityRef: string,
): Workload {
  const matches = workloads.filter(
    w =>
      w.resource.name === want.name &&
      (!want.kind || w.resource.kind === want.kind) &&
      (!want.namespace || w.resource.namespace === want.namespace) &&
      (!want.cluster || w.resource.cluster === want.cluster),
  );
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new InputError(
      `'${want.name}' is not a workload of ${entityRef}; its workloads are: ${
        workloads
          .map(w => `${w.resource.kind} ${w.resource.name}`)
          .join(', ') || 'none'
      }`,
    );
  }
  throw new InputError(
    `'${want.name}' is ambiguous: ${matches
      .map(
        m =>
          `${m.resource.kind} ${m.resource.namespace}/${m.resource.name} in cluster ${m.resource.cluster}`,
      )
      .join(', ')}; name the kind, namespace or cluster`,
  );
}

/** An edited manifest must still be the workload it was opened from. */
function sameObject(edited: KubeObject, target: Workload): KubeObject {
  const namespace = edited.metadata?.namespace ?? target.resource.namespace;
  if (
    edited.kind !== target.resource.kind ||
    edited.metadata?.name !== target.resource.name ||
    namespace !== target.resource.namespace
  ) {
    throw new InputError(
      `the manifest is ${edited.kind} ${namespace}/${edited.metadata?.name}, not the workload it was opened from (${target.resource.kind} ${target.resource.namespace}/${target.resource.name})`,
    );
  }
  return { ...edited, metadata: { ...edited.metadata, namespace } };
}

/**
 * Requires `kubecopilot.diagnose` — the permission of every workload read —
 * before anything is looked up, so a denied user cannot probe entities.
 */
export class AuthorizedManifestService {
  constructor(
    private readonly inner: ManifestService,
    private readonly permissions: PermissionsService,
  ) {}

  private async authorize(
    credentials: BackstageCredentials,
    entityRef: string,
  ) {
    const [decision] = await this.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the workloads of ${entityRef}`,
      );
    }
  }

  async listManifests(entityRef: string, options: Options) {
    await this.authorize(options.credentials, entityRef);
    return this.inner.listManifests(entityRef, options);
  }

  async check(request: ManifestCheckRequest, options: Options) {
    await this.authorize(options.credentials, request.entityRef);
    return this.inner.check(request, options);
  }

  async explain(request: ManifestCheckRequest, options: Options) {
    await this.authorize(options.credentials, request.entityRef);
    return this.inner.explain(request, options);
  }
}

/** The YAML copilot's service as the plugin wires it. */
export function createManifestService(options: {
  config: RootConfigService;
  kubernetes: KubernetesBackendClient;
  catalog: CatalogService;
  permissions: PermissionsService;
  metrics?: MetricsClient;
  explainer?: ManifestModelExplainer;
}): AuthorizedManifestService {
  return new AuthorizedManifestService(
    new ManifestService({
      kubernetes: options.kubernetes,
      catalog: options.catalog,
      metrics: options.metrics,
      explainer: options.explainer,
      productionNamespaces:
        options.config.getOptionalStringArray(
          'kubecopilot.risk.productionNamespaces',
        ) ?? [],
    }),
    options.permissions,
  );
}
