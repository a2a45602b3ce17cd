import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { DiagnosisCard } from '../DiagnosisCard';
import { EntityEventsTimeline } from '../EntityEventsTimeline';
import { EntityWorkloads } from '../EntityWorkloads';

/**
 * The "AI Diagnose" entity tab. Each section is its own grid row, so the
 * diagnosis can sit above the workloads without touching them.
 *
 * @public
 */
export function EntityDiagnoseContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <DiagnosisCard entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <EntityEventsTimeline entityRef={entityRef} />
      </Grid>
      <Grid item xs={12}>
        <EntityWorkloads entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
