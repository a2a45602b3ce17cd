import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { FindingRecord } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useCallback } from 'react';

/** Links from a finding to its entity's "AI Diagnose" and "Postmortems" tabs. */
export function useFindingLinks() {
  const entityRoute = useRouteRef(entityRouteRef);
  const diagnoseLink = useCallback(
    (entityRef: string) => {
      const { kind, namespace, name } = parseEntityRef(entityRef);
      return `${entityRoute({
        kind: kind.toLocaleLowerCase('en-US'),
        namespace,
        name,
      })}/kubecopilot-diagnose`;
    },
    [entityRoute],
  );
  // The entity's Postmortems tab, its window around the finding's life.
  const postmortemLink = useCallback(
    (f: FindingRecord) => {
      const margin = 15 * 60 * 1000;
      const from = new Date(Date.parse(f.firstSeen) - margin).toISOString();
      const to = new Date(
        Date.parse(f.resolvedAt ?? f.lastSeen) + margin,
      ).toISOString();
      return `${diagnoseLink(f.entityRef).replace(
        /kubecopilot-diagnose$/,
        'kubecopilot-postmortems',
      )}?${new URLSearchParams({ from, to })}`;
    },
    [diagnoseLink],
  );
  return { diagnoseLink, postmortemLink };
}
