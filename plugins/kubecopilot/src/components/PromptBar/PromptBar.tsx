import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useRef } from 'react';
import { IntentAnswer, ResourcesAnswer } from './PromptAnswer';
import { usePromptBar, useSlashToFocus } from './usePromptBar';

/** @public */
export interface PromptBarProps {
  /** The entity asked about; without one the bar asks to pick one first. */
  entityRef?: string;
  /** Shown before the text field, e.g. an entity picker. */
  before?: ReactNode;
  /** A draft plan was created from an intent: open its review. */
  onPlanCreated: (plan: OperationPlan) => void;
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
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const input = useRef<HTMLInputElement>(null);
  useSlashToFocus(input);
  const prompt = usePromptBar(entityRef, onPlanCreated);
  const { question, asking, answer, error } = prompt;

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
          onChange={e => prompt.onChange(e.target.value)}
          onKeyDown={prompt.onKeyDown}
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
            onClick={prompt.ask}
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
        <IntentAnswer
          answer={answer}
          drafting={prompt.drafting}
          onDraft={prompt.draft}
        />
      )}
      {answer?.type === 'resources' && <ResourcesAnswer answer={answer} />}
    </Box>
  );
}
