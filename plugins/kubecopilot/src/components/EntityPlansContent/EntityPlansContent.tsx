import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { PlansList } from '../PlansList';

/**
 * The "Operation Plans" entity tab: every plan made for this entity.
 *
 * @public
 */
export function EntityPlansContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  return (
    <PlansList
      query={{ entityRef }}
      title="Operation plans"
      emptyTitle="No operation plans yet"
      emptyDescription="Plans appear here once one is created for this entity, from a diagnosis recommendation, a request in words, or a template. Each plan shows the exact change, its risk, and who has to approve it before anything touches the cluster."
    />
  );
}
