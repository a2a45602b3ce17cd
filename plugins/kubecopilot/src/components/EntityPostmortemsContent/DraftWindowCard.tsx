import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { kubecopilotTranslationRef } from '../../translation';

/** `2026-12-07T10:30` in local time, as a datetime-local input holds it. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The draft's time window: the last day, or the one the address gives. */
function usePostmortemWindow() {
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
  return { from, setFrom, to, setTo, toTouched, setToTouched };
}

/** The card that drafts a postmortem for a window; `onDraft` gets ISO times. */
export function DraftWindowCard(props: {
  onDraft: (from: string, to: string) => Promise<void>;
}) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const { from, setFrom, to, setTo, toTouched, setToTouched } =
    usePostmortemWindow();
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<Error>();

  const create = async () => {
    setCreating(true);
    setCreateError(undefined);
    try {
      await props.onDraft(
        new Date(from).toISOString(),
        (toTouched ? new Date(to) : new Date()).toISOString(),
      );
    } catch (e) {
      setCreateError(e as Error);
    } finally {
      setCreating(false);
    }
  };

  return (
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
  );
}
