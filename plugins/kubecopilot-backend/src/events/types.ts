import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EventsResponse,
  EventType,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** `GET /events` parameters, parsed. */
export interface EventsQuery {
  entityRef: CompoundEntityRef;
  /** Only events last seen at or after this time. */
  since?: Date;
  type?: EventType;
  limit: number;
}

/** An entity's events timeline across clusters. */
export interface EventsService {
  /**
   * Newest first, at most `query.limit` events.
   *
   * @throws NotFoundError when the entity does not exist (or is not visible
   * to the caller); NotAllowedError without permission.
   */
  getEvents(
    query: EventsQuery,
    options: { credentials: BackstageCredentials },
  ): Promise<EventsResponse>;
}
