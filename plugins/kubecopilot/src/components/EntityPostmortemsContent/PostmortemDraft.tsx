import {
  InfoCard,
  MarkdownContent,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Postmortem } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { kubecopilotTranslationRef } from '../../translation';

export interface PostmortemDraftProps {
  postmortem: Postmortem;
  /** Saves the edited Markdown as a new version; rejects on a conflict. */
  onSave: (markdown: string, baseVersion: number) => Promise<void>;
}

function download(postmortem: Postmortem) {
  const blob = new Blob([postmortem.markdown], { type: 'text/markdown' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `postmortem-${postmortem.entityRef.split('/').pop()}-v${
    postmortem.version
  }.md`;
  a.click();
  URL.revokeObjectURL(url);
}

/**
 * A postmortem: its Markdown rendered, editable in place (each save is a
 * new version), and downloadable for a Git repository or TechDocs.
 */
export function PostmortemDraft({ postmortem, onSave }: PostmortemDraftProps) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(postmortem.markdown);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const verification = postmortem.auditVerification;

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await onSave(text, postmortem.version);
      setEditing(false);
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <InfoCard
      title={postmortem.title}
      subheader={t('postmortems.version', {
        version: String(postmortem.version),
        by: postmortem.updatedBy,
        at: postmortem.updatedAt,
      })}
    >
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 8 }}>
        <Chip
          size="small"
          color={verification.ok ? 'primary' : 'secondary'}
          label={
            verification.ok
              ? t('postmortems.auditOk', {
                  entries: String(verification.checked),
                })
              : t('postmortems.auditBroken')
          }
        />
        <Chip
          size="small"
          variant="outlined"
          label={t('postmortems.timeline', {
            entries: String(postmortem.timeline.length),
          })}
        />
        <Box flexGrow={1} />
        {editing ? (
          <>
            <Button
              onClick={() => {
                setText(postmortem.markdown);
                setEditing(false);
                setError(undefined);
              }}
              disabled={saving}
            >
              {t('postmortems.cancel')}
            </Button>
            <Button
              variant="contained"
              color="primary"
              onClick={save}
              disabled={saving || text.trim().length === 0}
            >
              {saving ? t('postmortems.saving') : t('postmortems.save')}
            </Button>
          </>
        ) : (
          <>
            <Button onClick={() => download(postmortem)}>
              {t('postmortems.download')}
            </Button>
            <Button
              variant="outlined"
              color="primary"
              onClick={() => {
                setText(postmortem.markdown);
                setEditing(true);
              }}
            >
              {t('postmortems.edit')}
            </Button>
          </>
        )}
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      {editing ? (
        <TextField
          id="postmortem-markdown"
          label={t('postmortems.editor')}
          multiline
          fullWidth
          variant="outlined"
          minRows={20}
          value={text}
          onChange={e => setText(e.target.value)}
          inputProps={{ style: { fontFamily: 'monospace', fontSize: 13 } }}
        />
      ) : (
        <MarkdownContent content={postmortem.markdown} />
      )}
      {postmortem.errors.length > 0 && !editing && (
        <Typography variant="body2" color="textSecondary">
          {t('postmortems.partial', { errors: postmortem.errors.join('; ') })}
        </Typography>
      )}
    </InfoCard>
  );
}
