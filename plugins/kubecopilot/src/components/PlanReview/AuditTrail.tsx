import {
  AuditEntry,
  AuditVerification,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import FiberManualRecordIcon from '@material-ui/icons/FiberManualRecord';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import WarningIcon from '@material-ui/icons/Warning';
import { formatUser } from '../PlansTable/format';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { Timestamp } from '../Timestamp';

function describe(entry: AuditEntry): string {
  const comment =
    typeof entry.payload.comment === 'string'
      ? ` — “${entry.payload.comment}”`
      : '';
  const outcome =
    typeof entry.payload.outcome === 'string'
      ? ` (${entry.payload.outcome})`
      : '';
  return `${entry.action.replace(/[._-]/g, ' ')}${outcome}${comment}`;
}

/**
 * The recorded steps of the plan, oldest first, and whether the chain holds.
 * `onLoadOlder` is there while older entries were not loaded yet.
 */
export function AuditTrail(props: {
  entries: AuditEntry[];
  verification?: AuditVerification;
  onLoadOlder?: () => void;
  loadingOlder?: boolean;
}) {
  const { entries, verification, onLoadOlder, loadingOlder } = props;
  const ordered = [...entries].sort((a, b) => a.id - b.id);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  let broken: string = t('audit.broken');
  if (verification?.firstBrokenId) {
    broken = t('audit.brokenAt', { id: String(verification.firstBrokenId) });
  }
  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1}>
        <Typography variant="h6" style={{ marginRight: 8 }}>
          {t('audit.title')}
        </Typography>
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ marginRight: 8 }}
          data-testid="audit-count"
        >
          {onLoadOlder
            ? t('audit.latestCount', { count: ordered.length })
            : t('audit.count', { count: ordered.length })}
        </Typography>
        {verification?.ok && (
          // The check covers the whole audit chain, every plan's entries:
          // say so, or "N checked" reads as a miscount of the list below.
          <Chip
            size="small"
            color="primary"
            icon={<VerifiedUserIcon />}
            label={t('audit.verified', { count: verification.checked })}
          />
        )}
        {verification && !verification.ok && (
          <Chip
            size="small"
            color="secondary"
            icon={<WarningIcon />}
            label={`${broken}${
              verification.reason ? `: ${verification.reason}` : ''
            }`}
          />
        )}
      </Box>
      {ordered.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {t('audit.nothing')}
        </Typography>
      ) : (
        <>
          {onLoadOlder && (
            <Button size="small" onClick={onLoadOlder} disabled={loadingOlder}>
              {loadingOlder ? t('audit.loadingOlder') : t('audit.showOlder')}
            </Button>
          )}
          <List dense aria-label={t('audit.title')}>
            {ordered.map(entry => (
              <ListItem key={entry.id}>
                <ListItemIcon style={{ minWidth: 24 }}>
                  <FiberManualRecordIcon fontSize="inherit" />
                </ListItemIcon>
                <ListItemText
                  primary={describe(entry)}
                  secondary={
                    <>
                      {formatUser(entry.actor)} ·{' '}
                      <Timestamp iso={entry.createdAt} format="locale" />
                    </>
                  }
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </Box>
  );
}
