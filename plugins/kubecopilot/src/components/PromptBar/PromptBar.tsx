import { Table, TableColumn } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';
import {
  OperationPlan,
  QueryResponse,
  QueryResultItem,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import SearchIcon from '@material-ui/icons/Search';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useEffect, useRef, useState } from 'react';
import { kubecopilotApiRef } from '../../api';
import { describeError } from '../PlanReview/PlanNotices';

/** @public */
export interface PromptBarProps {
  /** The entity asked about; without one the bar asks to pick one first. */
  entityRef?: string;
  /** Shown before the text field, e.g. an entity picker. */
  before?: ReactNode;
  /** A draft plan was created from an intent: open its review. */
  onPlanCreated: (plan: OperationPlan) => void;
}

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

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
  );
}

/**
 * Ask about the entity's cluster objects in words, or say what to change.
 * Keyboard first: "/" focuses it, Enter asks, ↑ and ↓ walk the history.
 * A change is only ever drafted as a plan after the user saw what was
 * understood.
 *
 * @public
 */
export function PromptBar(props: PromptBarProps) {
  const { entityRef, before, onPlanCreated } = props;
  const api = useApi(kubecopilotApiRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const input = useRef<HTMLInputElement>(null);
  const [question, setQuestion] = useState('');
  const [history, setHistory] = useState<string[]>([]);
  const [cursor, setCursor] = useState<number>(-1);
  const [asking, setAsking] = useState(false);
  const [drafting, setDrafting] = useState(false);
  const [answer, setAnswer] = useState<QueryResponse>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && !isTyping(event.target)) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const ask = async () => {
    const text = question.trim();
    if (!text || !entityRef) return;
    setHistory(h => [text, ...h.filter(q => q !== text)].slice(0, 20));
    setCursor(-1);
    setAsking(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      setAnswer(await api.query(entityRef, text));
    } catch (e) {
      setError(describeError(e as Error).message);
    } finally {
      setAsking(false);
    }
  };

  const draft = async () => {
    if (!answer || answer.type !== 'intent' || !entityRef) return;
    setDrafting(true);
    setError(undefined);
    try {
      const created = await api.createPlan({
        entityRef,
        intent: answer.question,
      });
      setAnswer(undefined);
      setQuestion('');
      onPlanCreated(created);
    } catch (e) {
      setError(describeError(e as Error).message);
    } finally {
      setDrafting(false);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      ask();
    } else if (event.key === 'ArrowUp' && history.length > 0) {
      event.preventDefault();
      const next = Math.min(cursor + 1, history.length - 1);
      setCursor(next);
      setQuestion(history[next]);
    } else if (event.key === 'ArrowDown' && cursor >= 0) {
      event.preventDefault();
      const next = cursor - 1;
      setCursor(next);
      setQuestion(next >= 0 ? history[next] : '');
    } else if (event.key === 'Escape') {
      setAnswer(undefined);
      setError(undefined);
    }
  };

  return (
    <Box mb={2} data-testid="prompt-bar">
      <Box display="flex" alignItems="center">
        {before}
        <TextField
          id="kubecopilot-prompt"
          inputRef={input}
          fullWidth
          variant="outlined"
          size="small"
          label={t('prompt.label')}
          placeholder={
            entityRef ? t('prompt.placeholder') : t('prompt.pickFirst')
          }
          disabled={!entityRef}
          value={question}
          onChange={e => {
            setQuestion(e.target.value);
            setCursor(-1);
          }}
          onKeyDown={onKeyDown}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon />
              </InputAdornment>
            ),
          }}
        />
        <Box ml={1}>
          <Button
            variant="contained"
            color="primary"
            disabled={!entityRef || !question.trim() || asking}
            onClick={ask}
          >
            {asking ? t('prompt.asking') : t('prompt.ask')}
          </Button>
        </Box>
      </Box>
      {error && (
        <Box mt={1}>
          <Alert severity="error" data-testid="prompt-error">
            {error}
          </Alert>
        </Box>
      )}
      {answer?.type === 'intent' && (
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
                onClick={draft}
              >
                {drafting ? t('prompt.drafting') : t('prompt.draft')}
              </Button>
            }
          >
            {t('prompt.understoodIntent', { understood: answer.understood })}
          </Alert>
        </Box>
      )}
      {answer?.type === 'resources' && (
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
      )}
    </Box>
  );
}
