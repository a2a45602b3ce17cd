import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AlertRecord,
  kubecopilotDiagnosePermission,
  kubecopilotDiagnosisReadPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { EntityReadAccess } from '../permissions/EntityReadAccess';
import { AlertQuery, AlertStore } from './types';

/**
 * Alerts carry their entity's diagnosis summary, so they are read like
 * diagnoses (`kubecopilot.diagnose`, then `kubecopilot.diagnosis.read` per
 * entity). Alerts mapped to no entity need an unconditional allow: a
 * conditional decision's filter never matches a NULL entity.
 */
export class AuthorizedAlertReader {
  constructor(
    private readonly options: {
      store: AlertStore;
      permissions: PermissionsService;
      access: EntityReadAccess;
    },
  ) {}

  async list(
    query: Omit<AlertQuery, 'filter'>,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<AlertRecord[]> {
    const [diagnose] = await this.options.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials },
    );
    if (diagnose.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Not allowed to read alerts');
    }
    const decision = await this.options.access.decide(
      kubecopilotDiagnosisReadPermission,
      credentials,
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Not allowed to read alerts (${kubecopilotDiagnosisReadPermission.name})`,
      );
    }
    if (query.entityRef) {
      const allowed = await this.options.access.allows(
        decision,
        query.entityRef,
        credentials,
      );
      return allowed ? this.options.store.list(query) : [];
    }
    const filter = await this.options.access.toFilter(decision, credentials);
    return this.options.store.list({ ...query, ...(filter && { filter }) });
  }
}
