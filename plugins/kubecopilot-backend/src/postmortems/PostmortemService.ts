import { randomUUID } from 'node:crypto';
import {
  BackstageCredentials,
  isDatabaseConflictError,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CreatePostmortemRequest,
  kubecopilotDiagnosePermission,
  kubecopilotDiagnosisReadPermission,
  Postmortem,
  UpdatePostmortemRequest,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { actorOf, normalizeEntityRef } from '../identity/actor';
import type { EntityReadAccess } from '../permissions/EntityReadAccess';
import { buildPostmortem } from './buildPostmortem';
import { DatabasePostmortemStore } from './DatabasePostmortemStore';
import { PostmortemSources } from './PostmortemSources';

/** The longest window a postmortem covers. */
export const MAX_POSTMORTEM_WINDOW_MS = 31 * 24 * 60 * 60 * 1000;

/**
 * Postmortem drafts: made from what the caller may read (every source is
 * read through its authorized reader), stored as version 1; each save of
 * the edited Markdown is a new version. Reading one needs
 * `kubecopilot.diagnosis.read` on its entity; making or editing one also
 * `kubecopilot.diagnose`.
 */
export class PostmortemService {
  constructor(
    private readonly options: {
      store: DatabasePostmortemStore;
      sources: PostmortemSources;
      permissions: PermissionsService;
      access: EntityReadAccess;
      now?: () => Date;
    },
  ) {}

  async create(
    request: CreatePostmortemRequest,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<Postmortem> {
    const actor = actorOf(credentials, 'write postmortems');
    const entityRef = normalizeEntityRef(request.entityRef);
    const from = new Date(request.from);
    const to = new Date(request.to);
    if (!(from < to)) throw new InputError('from must be before to');
    if (to.getTime() - from.getTime() > MAX_POSTMORTEM_WINDOW_MS) {
      throw new InputError('A postmortem covers at most 31 days');
    }
    await this.authorizeWrite(credentials);
    await this.authorizeRead(entityRef, credentials);
    const input = await this.options.sources.gather(
      entityRef,
      from,
      to,
      credentials,
    );
    const now = (this.options.now?.() ?? new Date()).toISOString();
    const postmortem: Postmortem = {
      ...buildPostmortem(input),
      id: randomUUID(),
      version: 1,
      createdBy: actor,
      createdAt: now,
      updatedBy: actor,
      updatedAt: now,
    };
    await this.options.store.insert(postmortem);
    return postmortem;
  }

  async update(
    id: string,
    request: UpdatePostmortemRequest,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<Postmortem> {
    const actor = actorOf(credentials, 'write postmortems');
    await this.authorizeWrite(credentials);
    const latest = await this.get(id, { credentials });
    if (latest.version !== request.baseVersion) {
      throw new ConflictError(
        `Postmortem ${id} is at version ${latest.version}, not ${request.baseVersion}: reload it and edit again`,
      );
    }
    const next: Postmortem = {
      ...latest,
      version: latest.version + 1,
      markdown: request.markdown,
      updatedBy: actor,
      updatedAt: (this.options.now?.() ?? new Date()).toISOString(),
    };
    try {
      await this.options.store.insert(next);
    } catch (error) {
      if (isDatabaseConflictError(error)) {
        throw new ConflictError(
          `Postmortem ${id} was saved by someone else meanwhile: reload it and edit again`,
        );
      }
      throw error;
    }
    return next;
  }

  async get(
    id: string,
    {
      credentials,
      version,
    }: { credentials: BackstageCredentials; version?: number },
  ): Promise<Postmortem> {
    const postmortem = await this.options.store.get(id, version);
    // Not found and not readable answer alike: no probing for ids.
    if (
      !postmortem ||
      !(await this.readable(postmortem.entityRef, credentials))
    ) {
      throw new NotFoundError(
        `Postmortem ${id}${version ? ` version ${version}` : ''} not found`,
      );
    }
    return postmortem;
  }

  async list(
    entityRef: string,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<Postmortem[]> {
    const ref = normalizeEntityRef(entityRef);
    return (await this.readable(ref, credentials))
      ? this.options.store.listByEntity(ref)
      : [];
  }

  private async readable(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const decision = await this.options.access.decide(
      kubecopilotDiagnosisReadPermission,
      credentials,
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `Not allowed to read postmortems (${kubecopilotDiagnosisReadPermission.name})`,
      );
    }
    return this.options.access.allows(decision, entityRef, credentials);
  }

  private async authorizeRead(
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    if (!(await this.readable(entityRef, credentials))) {
      throw new NotAllowedError(
        `Not allowed to read the records of ${entityRef}`,
      );
    }
  }

  private async authorizeWrite(credentials: BackstageCredentials) {
    const [decision] = await this.options.permissions.authorize(
      [{ permission: kubecopilotDiagnosePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to write postmortems (${kubecopilotDiagnosePermission.name})`,
      );
    }
  }
}
