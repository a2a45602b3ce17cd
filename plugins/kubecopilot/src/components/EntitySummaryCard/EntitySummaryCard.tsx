import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { entityRouteRef, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useWorkloads } from '../../hooks/useWorkloads';
import { ReadyStatus } from '../WorkloadsTable';
import { describeStatus, workloadsStatus } from './status';

/** The entity tab that the card invites to; see the plugin's extensions. */
export const DIAGNOSE_TAB_PATH = 'kubecopilot-diagnose';

/**
 * The entity's workloads at a glance for its Overview page: ready/desired
 * per workload and how many are in trouble, with the way to the "AI
 * Diagnose" tab, where the why and the fix are.
 *
 * @public
 */
export function EntitySummaryCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const entityRoute = useRouteRef(entityRouteRef);
  const { value, loading, error } = useWorkloads(entityRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const diagnoseLink = `${entityRoute({
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  })}/${DIAGNOSE_TAB_PATH}`;

  const status = value ? workloadsStatus(value.workloads) : undefined;
  const unread = value?.errors ?? [];

  return (
    <InfoCard
      title={t('summaryCard.title')}
      subheader={t('summaryCard.subheader')}
      deepLink={{
        title:
          status && status.problems.length > 0
            ? t('summaryCard.findOut')
            : t('summaryCard.open'),
        link: diagnoseLink,
      }}
    >
      {error && (
        <ResponseErrorPanel error={error} title={t('workloads.loadError')} />
      )}
      {!error && loading && !value && <Progress />}
      {value && status && (
        <>
          <Box mb={1} data-testid="kubecopilot-summary-headline">
            {status.total === 0 ? (
              <Typography variant="body2" color="textSecondary">
                {value.clusters.length > 0
                  ? t('summaryCard.noWorkloadsIn', {
                      clusters: value.clusters.join(', '),
                    })
                  : t('summaryCard.noWorkloads')}
              </Typography>
            ) : (
              <Typography variant="body1" component="div">
                {status.problems.length === 0 ? (
                  <StatusOK>{describeStatus(status, t)}</StatusOK>
                ) : (
                  <StatusError>{describeStatus(status, t)}</StatusError>
                )}
              </Typography>
            )}
          </Box>
          {unread.length > 0 && (
            <Typography variant="body2" component="div">
              <StatusWarning>
                {t('summaryCard.notRead', {
                  clusters: unread.map(e => e.cluster).join(', '),
                })}
              </StatusWarning>
            </Typography>
          )}
          {status.total > 0 && (
            <List
              dense
              disablePadding
              aria-label={t('summaryCard.workloadsLabel')}
            >
              {value.workloads.map(w => (
                <ListItem
                  key={`${w.cluster}/${w.kind}/${w.namespace}/${w.name}`}
                  disableGutters
                >
                  <ListItemText
                    primary={w.name}
                    secondary={`${w.kind} · ${w.namespace} · ${w.cluster}`}
                  />
                  <Box ml={2} flexShrink={0} whiteSpace="nowrap">
                    <ReadyStatus workload={w} />
                  </Box>
                </ListItem>
              ))}
            </List>
          )}
        </>
      )}
    </InfoCard>
  );
}
