import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterError,
  EntityEvent,
  EventsResponse,
  OperationPlan,
  PlanMarker,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { KubernetesBackendClient } from '../kubernetes/types';
import type { PlanReader } from '../plans/types';
import { readEntityEvents } from './readEntityEvents';
import { EventsQuery, EventsService } from './types';

/** Most plans of each status read for the markers. */
const MAX_PLANS = 100;

const newestFirst = (a: { at: string }, b: { at: string }) =>
  b.at.localeCompare(a.at);

function markersOf(plan: OperationPlan): PlanMarker[] {
  const { timestamps } = plan.audit;
  const base = {
    planId: plan.id,
    action: plan.action,
    resource: plan.resource,
    risk: plan.risk.level,
  };
  const markers: PlanMarker[] = [];
  if (timestamps.executedAt) {
    markers.push({
      ...base,
      what: 'executed',
      at: timestamps.executedAt,
      by: plan.audit.executedBy,
    });
  }
  if (plan.status === 'reverted' && timestamps.revertedAt) {
    markers.push({
      ...base,
      what: 'reverted',
      at: timestamps.revertedAt,
      by: plan.revert?.by ?? null,
    });
  }
  return markers;
}

/**
 * An entity's events timeline: the events of its objects in every cluster,
 * read as the user, newest first and bounded; and the plans KubeCopilot
 * executed or reverted for it, as far as the user may read them.
 */
export class KubernetesEventsService implements EventsService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      kubernetes: KubernetesBackendClient;
      /** The authorized plan reader; without it, no markers. */
      plans?: PlanReader;
    },
  ) {}

  async getEvents(
    query: EventsQuery,
    options: { credentials: BackstageCredentials },
  ): Promise<EventsResponse> {
    const { credentials } = options;
    const ref = stringifyEntityRef(query.entityRef);
    // The Kubernetes backend answers an unknown entity with a 400; the
    // catalog lets us say 404, and hides entities the user may not see.
    const entity = await this.deps.catalog.getEntityByRef(query.entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Entity '${ref}' not found`);
    }
    const entityRef = stringifyEntityRef(entity);
    const [read, plans] = await Promise.all([
      readEntityEvents(this.deps.kubernetes, entityRef, credentials),
      this.markers(entityRef, credentials),
    ]);
    const since = query.since?.toISOString();
    const matching = read.events
      .filter(e => !since || e.lastTime >= since)
      .filter(e => !query.type || e.type === query.type)
      .sort(
        (a: EntityEvent, b: EntityEvent) =>
          b.lastTime.localeCompare(a.lastTime) ||
          b.firstTime.localeCompare(a.firstTime),
      );
    return {
      entityRef,
      items: matching.slice(0, query.limit),
      markers: plans.markers
        .filter(m => !since || m.at >= since)
        .sort(newestFirst)
        .slice(0, query.limit),
      truncated: matching.length > query.limit,
      errors: [...read.errors, ...plans.errors],
    };
  }

  private async markers(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ markers: PlanMarker[]; errors: ClusterError[] }> {
    const reader = this.deps.plans;
    if (!reader) return { markers: [], errors: [] };
    try {
      const pages = await Promise.all(
        (['executed', 'reverted'] as const).map(status =>
          reader.listPlans(
            { entityRef, status, limit: MAX_PLANS },
            { credentials },
          ),
        ),
      );
      return {
        markers: pages.flatMap(p => p.items).flatMap(markersOf),
        errors: [],
      };
    } catch (error) {
      // The timeline still shows the cluster's events without the marks.
      return {
        markers: [],
        errors: [
          { cluster: '', message: `plans: ${(error as Error).message}` },
        ],
      };
    }
  }
}
