import { Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  QueryResponse,
  QueryResultItem,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';

type IntentResponse = Extract<QueryResponse, { type: 'intent' }>;
type ResourcesResponse = Extract<QueryResponse, { type: 'resources' }>;

const columns = (
  t: KubecopilotT,
): TableColumn<QueryResultItem & { id: string }>[] => [
  { title: t('prompt.columns.cluster'), field: 'cluster' },
  { title: t('prompt.columns.kind'), field: 'kind' },
  { title: t('prompt.columns.namespace'), field: 'namespace' },
  { title: t('prompt.columns.name'), field: 'name' },
  { title: t('prompt.columns.status'), field: 'status' },
  { title: t('prompt.columns.ready'), field: 'ready' },
  { title: t('prompt.columns.restarts'), field: 'restarts', type: 'numeric' },
  { title: t('prompt.columns.since'), field: 'since' },
];

/** A change was understood: say what, and offer to draft it as a plan. */
export function IntentAnswer(props: {
  answer: IntentResponse;
  drafting: boolean;
  onDraft: () => void;
}) {
  const { answer, drafting, onDraft } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box mt={1}>
      <Alert
        severity="info"
        data-testid="prompt-intent"
        action={
          <Button
            color="primary"
            variant="contained"
            size="small"
            disabled={drafting}
            onClick={onDraft}
          >
            {drafting ? t('prompt.drafting') : t('prompt.draft')}
          </Button>
        }
      >
        {t('prompt.understoodIntent', { understood: answer.understood })}
      </Alert>
    </Box>
  );
}

/** A question about objects: what was understood, cluster errors, and the matches. */
export function ResourcesAnswer(props: { answer: ResourcesResponse }) {
  const { answer } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box mt={1} data-testid="prompt-resources">
      <Typography variant="body2" color="textSecondary">
        {t('prompt.understood', { understood: answer.understood })}
      </Typography>
      {answer.errors.map(e => (
        <Alert severity="warning" key={e.cluster}>
          {t('prompt.clusterError', {
            cluster: e.cluster,
            message: e.message,
          })}
        </Alert>
      ))}
      <Table
        title={t('prompt.results', { count: answer.items.length })}
        columns={columns(t)}
        data={answer.items.map((item, i) => ({ ...item, id: String(i) }))}
        options={{
          paging: answer.items.length > 10,
          pageSize: 10,
          search: false,
          padding: 'dense',
        }}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              {t('prompt.nothingMatches')}
            </Typography>
          </Box>
        }
      />
    </Box>
  );
}
