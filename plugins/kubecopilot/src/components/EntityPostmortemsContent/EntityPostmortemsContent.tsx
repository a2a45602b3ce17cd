import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Postmortem } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotTranslationRef } from '../../translation';
import { PostmortemClient } from './PostmortemClient';
import { PostmortemDraft } from './PostmortemDraft';

/** `2026-12-07T10:30` in local time, as a datetime-local input holds it. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

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
  // A window in the address (from a resolved finding) fills the form.
  const [params] = useSearchParams();
  const given = (name: string) => {
    const value = params.get(name);
    return value && !Number.isNaN(Date.parse(value))
      ? new Date(value)
      : undefined;
  };
  const [from, setFrom] = useState(() =>
    toLocalInput(given('from') ?? new Date(Date.now() - 24 * 60 * 60 * 1000)),
  );
  const [to, setTo] = useState(() => toLocalInput(given('to') ?? new Date()));
  // Untouched and not given, "to" means now: when the draft is asked for.
  const [toTouched, setToTouched] = useState(() => !!given('to'));
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<Error>();
  const [selected, setSelected] = useState<Postmortem>();
  const list = useAsyncRetry(() => client.list(entityRef), [client, entityRef]);

  const create = async () => {
    setCreating(true);
    setCreateError(undefined);
    try {
      const postmortem = await client.create({
        entityRef,
        from: new Date(from).toISOString(),
        to: (toTouched ? new Date(to) : new Date()).toISOString(),
      });
      setSelected(postmortem);
      list.retry();
    } catch (e) {
      setCreateError(e as Error);
    } finally {
      setCreating(false);
    }
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
        <InfoCard
          title={t('postmortems.draftTitle')}
          subheader={t('postmortems.draftSubheader')}
        >
          <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
            <TextField
              id="postmortem-from"
              label={t('postmortems.from')}
              type="datetime-local"
              value={from}
              onChange={e => setFrom(e.target.value)}
              InputLabelProps={{ shrink: true }}
            />
            <TextField
              id="postmortem-to"
              label={t('postmortems.to')}
              type="datetime-local"
              value={to}
              onChange={e => {
                setTo(e.target.value);
                setToTouched(true);
              }}
              InputLabelProps={{ shrink: true }}
            />
            <Button
              variant="contained"
              color="primary"
              onClick={create}
              disabled={creating || !from || !to}
            >
              {creating ? t('postmortems.drafting') : t('postmortems.draft')}
            </Button>
            {createError && <ResponseErrorPanel error={createError} />}
          </Box>
        </InfoCard>
        <Box mt={3}>
          <InfoCard title={t('postmortems.listTitle')}>
            {list.loading && !list.value && <Progress />}
            {list.error && <ResponseErrorPanel error={list.error} />}
            {list.value && items.length === 0 && t('postmortems.none')}
            <List dense>
              {items.map(p => (
                <ListItem
                  key={p.id}
                  button
                  selected={selected?.id === p.id}
                  onClick={() => setSelected(p)}
                >
                  <ListItemText
                    primary={p.title}
                    secondary={`v${p.version} · ${p.from.slice(
                      0,
                      16,
                    )} → ${p.to.slice(0, 16)}`}
                  />
                </ListItem>
              ))}
            </List>
          </InfoCard>
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
