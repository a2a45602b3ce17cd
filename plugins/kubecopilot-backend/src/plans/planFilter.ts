import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import { applyColumnFilter } from '../database/columnFilter';
import { PlanFilter } from './types';

/** Adds plan permission criteria to a plan query as SQL. */
export function applyPlanFilter(
  builder: Knex.QueryBuilder,
  criteria: PermissionCriteria<PlanFilter>,
): void {
  applyColumnFilter(builder, criteria);
}
