import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { MetricsCard } from '../MetricsCard';
import { SloCard } from '../SloCard';

/**
 * The "Metrics & SLOs" entity tab: the SLOs and their error budgets above
 * the workloads' charts.
 *
 * @public
 */
export function EntityMetricsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SloCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <MetricsCard entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
