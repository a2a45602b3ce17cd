import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Postmortem } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotTranslationRef } from '../../translation';
import { DraftWindowCard } from './DraftWindowCard';
import { PostmortemClient } from './PostmortemClient';
import { PostmortemDraft } from './PostmortemDraft';
import { PostmortemList } from './PostmortemList';

export { toLocalInput } from './DraftWindowCard';

/**
 * The entity's "Postmortems" tab: draft one for a time window (the rules
 * write it from KubeCopilot's records: events, findings, alerts, diagnoses,
 * plans and the audit trail), then read, edit and download it.
 */
export function EntityPostmortemsContent() {
  const { entity } = useEntity();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const entityRef = stringifyEntityRef(entity);
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const client = useMemo(
    () => new PostmortemClient(discoveryApi, fetchApi),
    [discoveryApi, fetchApi],
  );
  const [selected, setSelected] = useState<Postmortem>();
  const list = useAsyncRetry(() => client.list(entityRef), [client, entityRef]);

  const create = async (from: string, to: string) => {
    const postmortem = await client.create({ entityRef, from, to });
    setSelected(postmortem);
    list.retry();
  };

  // The one just drafted shows at once, before the list is read again.
  const listed = list.value ?? [];
  const items =
    selected && !listed.some(p => p.id === selected.id)
      ? [selected, ...listed]
      : listed;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <DraftWindowCard onDraft={create} />
        <Box mt={3}>
          <PostmortemList
            items={items}
            loaded={!!list.value}
            loading={list.loading}
            error={list.error}
            selectedId={selected?.id}
            onSelect={setSelected}
          />
        </Box>
      </Grid>
      <Grid item xs={12} md={8}>
        {selected ? (
          <PostmortemDraft
            key={`${selected.id}-${selected.version}`}
            postmortem={selected}
            onSave={async (markdown, baseVersion) => {
              setSelected(
                await client.save(selected.id, markdown, baseVersion),
              );
              list.retry();
            }}
          />
        ) : (
          <InfoCard title={t('postmortems.viewTitle')}>
            {t('postmortems.pick')}
          </InfoCard>
        )}
      </Grid>
    </Grid>
  );
}
