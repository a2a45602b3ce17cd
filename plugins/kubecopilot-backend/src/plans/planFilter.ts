import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { PlanFilter } from './types';

/**
 * Adds permission criteria to a plan query as SQL, so that pages stay full
 * however selective the policy is.
 */
export function applyPlanFilter(
  builder: Knex.QueryBuilder,
  criteria: PermissionCriteria<PlanFilter>,
): void {
  if (isAndCriteria(criteria)) {
    builder.where(all => {
      for (const child of criteria.allOf) {
        all.andWhere(sub => applyPlanFilter(sub, child));
      }
    });
  } else if (isOrCriteria(criteria)) {
    builder.where(any => {
      for (const child of criteria.anyOf) {
        any.orWhere(sub => applyPlanFilter(sub, child));
      }
    });
  } else if (isNotCriteria(criteria)) {
    builder.whereNot(sub => applyPlanFilter(sub, criteria.not));
  } else {
    // `IS NOT NULL AND IN (…)` is never NULL itself, so a negated condition
    // matches plans whose column is NULL, exactly as the rule's `apply` does.
    builder.where(leaf =>
      leaf
        .whereNotNull(criteria.column)
        .whereIn(criteria.column, criteria.values),
    );
  }
}
