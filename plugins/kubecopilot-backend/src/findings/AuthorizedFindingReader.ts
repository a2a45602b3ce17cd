import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  FindingRecord,
  kubecopilotDiagnosePermission,
  kubecopilotDiagnosisReadPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { EntityReadAccess } from '../permissions/EntityReadAccess';
import { FindingQuery, FindingStore } from './types';

/**
 * Findings are what diagnoses found (their evidence may quote logs), so
 * they are read like diagnoses: `kubecopilot.diagnose`, then
 * `kubecopilot.diagnosis.read` per entity — a conditional decision becomes
 * an SQL filter, so a list holds exactly the entities the caller may read.
 */
export class AuthorizedFindingReader {
  constructor(
    private readonly options: {
      store: FindingStore;
      permissions: PermissionsService;
      access: EntityReadAccess;
    },
  ) {}

  async list(
    query: Omit<FindingQuery, 'filter'>,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<FindingRecord[]> {
    const [diagnose] = await this.options.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials },
    );
    if (diagnose.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Not allowed to read findings');
    }
    const decision = await this.options.access.decide(
      kubecopilotDiagnosisReadPermission,
      credentials,
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Not allowed to read findings (${kubecopilotDiagnosisReadPermission.name})`,
      );
    }
    if (query.entityRef) {
      if (
        !(await this.options.access.allows(
          decision,
          query.entityRef,
          credentials,
        ))
      ) {
        return [];
      }
      return this.options.store.list(query);
    }
    const filter = await this.options.access.toFilter(decision, credentials);
    return this.options.store.list({ ...query, ...(filter && { filter }) });
  }
}
