import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EventsResponse,
  kubecopilotDiagnosePermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { EventsQuery, EventsService } from './types';

/**
 * Requires `kubecopilot.diagnose` before reading events, as for workloads.
 * Checked before the catalog lookup, so a denied user cannot probe which
 * entities exist.
 */
export class AuthorizedEventsService implements EventsService {
  constructor(
    private readonly inner: EventsService,
    private readonly permissions: PermissionsService,
  ) {}

  async getEvents(
    query: EventsQuery,
    options: { credentials: BackstageCredentials },
  ): Promise<EventsResponse> {
    const [decision] = await this.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials: options.credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the events of ${stringifyEntityRef(
          query.entityRef,
        )}`,
      );
    }
    return this.inner.getEvents(query, options);
  }
}
