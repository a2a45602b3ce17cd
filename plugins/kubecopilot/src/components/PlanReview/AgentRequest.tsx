import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { kubecopilotTranslationRef } from '../../translation';
import { formatUser } from '../PlansTable/format';

/**
 * Says that an AI agent drafted the plan (over MCP, for the requester), and
 * shows the agent's own reasons as what they are: untrusted text, set apart
 * from KubeCopilot's rationale and never rendered as markup.
 */
export function AgentRequest(props: { plan: OperationPlan }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const via = props.plan.requestedVia;
  if (!via) return null;
  return (
    <Box mt={2} data-testid="agent-request">
      <Alert severity="info">
        <AlertTitle>{t('agents.title')}</AlertTitle>
        <Typography variant="body2">
          {t('agents.draftedFor', {
            user: formatUser(props.plan.audit.requestedBy),
            channel:
              via.channel === 'mcp'
                ? t('agents.channelMcp')
                : t('agents.channelActions'),
          })}{' '}
          {t('agents.decideNote')}
        </Typography>
        {via.client && (
          <Typography variant="body2">
            {t('agents.client', { client: via.client })}
          </Typography>
        )}
      </Alert>
      {via.rationale && (
        <Box mt={1}>
          <Alert severity="warning" icon={false}>
            <AlertTitle>{t('agents.rationaleTitle')}</AlertTitle>
            <Typography
              variant="body2"
              component="blockquote"
              data-testid="agent-rationale"
              style={{ whiteSpace: 'pre-line', margin: 0 }}
            >
              {via.rationale}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {t('agents.rationaleNote')}
            </Typography>
          </Alert>
        </Box>
      )}
    </Box>
  );
}
