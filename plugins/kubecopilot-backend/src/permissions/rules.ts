import { createPermissionRule } from '@backstage/plugin-permission-node';
import { riskLevelSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { z } from 'zod';
import { entityResourceRef, planResourceRef } from './resource';

/** Refs compare case-insensitively, as the catalog's do. */
const lower = (values: string[]) =>
  values.map(v => v.toLocaleLowerCase('en-US'));

const isRiskLevel = createPermissionRule({
  name: 'IS_RISK_LEVEL',
  description: 'Allow plans whose risk level is one of the given levels',
  resourceRef: planResourceRef,
  paramsSchema: z.object({
    levels: z.array(riskLevelSchema).describe('Risk levels to match'),
  }),
  apply: ({ plan }, { levels }) => levels.includes(plan.risk.level),
  toQuery: ({ levels }) => ({ column: 'risk_level', values: levels }),
});

const isInNamespace = createPermissionRule({
  name: 'IS_IN_NAMESPACE',
  description:
    'Allow plans acting on an object in one of the given namespaces (never cluster-scoped objects)',
  resourceRef: planResourceRef,
  paramsSchema: z.object({
    namespaces: z.array(z.string()).describe('Kubernetes namespaces to match'),
  }),
  apply: ({ plan }, { namespaces }) =>
    plan.resource.namespace !== undefined &&
    namespaces.includes(plan.resource.namespace),
  toQuery: ({ namespaces }) => ({ column: 'namespace', values: namespaces }),
});

const isInCluster = createPermissionRule({
  name: 'IS_IN_CLUSTER',
  description: 'Allow plans acting on one of the given clusters',
  resourceRef: planResourceRef,
  paramsSchema: z.object({
    clusters: z
      .array(z.string())
      .describe('Cluster names, as configured for the Kubernetes plugin'),
  }),
  apply: ({ plan }, { clusters }) => clusters.includes(plan.resource.cluster),
  toQuery: ({ clusters }) => ({ column: 'cluster', values: clusters }),
});

const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description:
    "Allow plans for entities owned by one of the given claims (pass the user's ownershipEntityRefs)",
  resourceRef: planResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, usually the user and their groups'),
  }),
  apply: ({ ownerRef }, { claims }) =>
    ownerRef !== undefined &&
    lower(claims).includes(ownerRef.toLocaleLowerCase('en-US')),
  toQuery: ({ claims }) => ({ column: 'owner_ref', values: lower(claims) }),
});

const isRequester = createPermissionRule({
  name: 'IS_REQUESTER',
  description: 'Allow plans requested by one of the given users',
  resourceRef: planResourceRef,
  paramsSchema: z.object({
    claims: z.array(z.string()).describe('User entity refs'),
  }),
  apply: ({ plan }, { claims }) =>
    lower(claims).includes(plan.audit.requestedBy.toLocaleLowerCase('en-US')),
  toQuery: ({ claims }) => ({ column: 'requested_by', values: lower(claims) }),
});

/** The built-in rules of the `kubecopilot-plan` resource. */
export const planRules = {
  isRiskLevel,
  isInNamespace,
  isInCluster,
  isEntityOwner,
  isRequester,
};

const isOwnedBy = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description:
    "Allow records of entities owned by one of the given claims, as the catalog's ownedBy relations say now (pass the user's ownershipEntityRefs)",
  resourceRef: entityResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs, usually the user and their groups'),
  }),
  apply: ({ ownerRefs }, { claims }) => {
    const wanted = lower(claims);
    return ownerRefs.some(owner => wanted.includes(owner));
  },
  toQuery: ({ claims }) => ({ ownedBy: lower(claims) }),
});

const isEntity = createPermissionRule({
  name: 'IS_ENTITY_REF',
  description: 'Allow records of the given entities',
  resourceRef: entityResourceRef,
  paramsSchema: z.object({
    entityRefs: z
      .array(z.string())
      .describe('Full entity refs, e.g. component:default/checkout'),
  }),
  apply: ({ entityRef }, { entityRefs }) =>
    lower(entityRefs).includes(entityRef),
  toQuery: ({ entityRefs }) => ({ entityRefs: lower(entityRefs) }),
});

/**
 * The built-in rules of the `kubecopilot-entity` resource (audit entries and
 * stored diagnoses, by the entity they are about).
 */
export const entityRules = {
  isEntityOwner: isOwnedBy,
  isEntityRef: isEntity,
};
