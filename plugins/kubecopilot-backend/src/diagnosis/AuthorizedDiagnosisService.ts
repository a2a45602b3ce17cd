import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Diagnosis,
  kubecopilotDiagnosePermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  DiagnoseOptions,
  DiagnosisService,
  ListDiagnosesOptions,
} from './types';

/**
 * Requires `kubecopilot.diagnose` before diagnosing or listing diagnoses.
 * Checked before anything is read, so a denied caller cannot probe which
 * entities exist.
 */
export class AuthorizedDiagnosisService implements DiagnosisService {
  constructor(
    private readonly inner: DiagnosisService,
    private readonly permissions: PermissionsService,
  ) {}

  async diagnose(
    entityRef: string,
    options: DiagnoseOptions,
  ): Promise<Diagnosis> {
    await this.authorize(options.credentials, `diagnose ${entityRef}`);
    return this.inner.diagnose(entityRef, options);
  }

  async listDiagnoses(
    entityRef: string,
    options: ListDiagnosesOptions,
  ): Promise<Diagnosis[]> {
    await this.authorize(
      options.credentials,
      `read the diagnoses of ${entityRef}`,
    );
    return this.inner.listDiagnoses(entityRef, options);
  }

  private async authorize(credentials: BackstageCredentials, what: string) {
    const [decision] = await this.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to ${what}`);
    }
  }
}
