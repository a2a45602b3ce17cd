import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';

/**
 * Who a request is made by: the user entity ref of a user principal, else
 * the subject of a service principal (`plugin:scaffolder`, `external:ci`).
 * Undefined for anything else (no credentials).
 */
export function principalOf(
  credentials: BackstageCredentials,
): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return undefined;
}

/**
 * The actor a change or a diagnosis is recorded as: like `principalOf`, but
 * a request without a user or service principal may not do `what`.
 */
export function actorOf(
  credentials: BackstageCredentials,
  what = 'act on plans',
): string {
  const actor = principalOf(credentials);
  if (!actor) {
    throw new NotAllowedError(
      `Only signed-in users and services can ${what}`,
    );
  }
  return actor;
}

/** `checkout` → `component:default/checkout`; a 400 for a malformed ref. */
export function normalizeEntityRef(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch (error) {
    throw new InputError(
      `Invalid entityRef '${ref}': ${(error as Error).message}`,
    );
  }
}
