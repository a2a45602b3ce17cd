import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { kubecopilotAuditReadPermission } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AuditEntry, AuditStore, AuditVerification } from './types';

/** Audit reads with `kubecopilot.audit.read` enforced. */
export class AuthorizedAuditReader {
  constructor(
    private readonly store: AuditStore,
    private readonly permissions: PermissionsService,
  ) {}

  async list(
    filter: { planId?: string; entityRef?: string; limit: number },
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<{ items: AuditEntry[] }> {
    await this.require(credentials);
    return { items: await this.store.list(filter) };
  }

  async verify({
    credentials,
  }: {
    credentials: BackstageCredentials;
  }): Promise<AuditVerification> {
    await this.require(credentials);
    return this.store.verify();
  }

  private async require(credentials: BackstageCredentials) {
    const [decision] = await this.permissions.authorize(
      [{ permission: kubecopilotAuditReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'You are not allowed to read the audit log (kubecopilot.audit.read)',
      );
    }
  }
}
