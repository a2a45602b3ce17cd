import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';

/**
 * The query form of a permission rule over one table: the column's value is
 * one of `values`. A NULL column matches no values.
 */
export interface ColumnFilter<TColumn extends string = string> {
  column: TColumn;
  values: string[];
}

/**
 * Adds permission criteria to a query as SQL, so that pages stay full
 * however selective the policy is.
 */
export function applyColumnFilter(
  builder: Knex.QueryBuilder,
  criteria: PermissionCriteria<ColumnFilter>,
): void {
  if (isAndCriteria(criteria)) {
    builder.where(all => {
      for (const child of criteria.allOf) {
        all.andWhere(sub => applyColumnFilter(sub, child));
      }
    });
  } else if (isOrCriteria(criteria)) {
    builder.where(any => {
      for (const child of criteria.anyOf) {
        any.orWhere(sub => applyColumnFilter(sub, child));
      }
    });
  } else if (isNotCriteria(criteria)) {
    builder.whereNot(sub => applyColumnFilter(sub, criteria.not));
  } else {
    // `IS NOT NULL AND IN (…)` is never NULL itself, so a negated condition
    // matches rows whose column is NULL, exactly as the rule's `apply` does.
    builder.where(leaf =>
      leaf
        .whereNotNull(criteria.column)
        .whereIn(criteria.column, criteria.values),
    );
  }
}
