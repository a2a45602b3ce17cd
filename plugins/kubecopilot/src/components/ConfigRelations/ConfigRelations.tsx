import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ConfigReference } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import SettingsIcon from '@material-ui/icons/Settings';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import { kubecopilotTranslationRef } from '../../translation';

/** How a reference reads at a glance. */
export type ReferenceStatus =
  | 'ok'
  | 'missing'
  | 'missingKeys'
  | 'unknown'
  | 'optionalAbsent';

/**
 * Missing comes first: an absent object that is not optional, or a named key
 * the object lacks, keeps the pods from starting.
 */
export function referenceStatus(ref: ConfigReference): ReferenceStatus {
  if (ref.exists === false) return ref.optional ? 'optionalAbsent' : 'missing';
  if (ref.keys.some(k => k.exists === false)) return 'missingKeys';
  if (ref.exists === null) return 'unknown';
  return 'ok';
}

const useStyles = makeStyles(theme => ({
  missing: {
    borderColor: theme.palette.error.main,
    color: theme.palette.error.main,
    fontWeight: 'bold',
  },
  unknown: { borderStyle: 'dashed' },
  chip: { maxWidth: 280 },
}));

/**
 * The ConfigMaps and Secrets of one workload, one chip each; what is missing
 * (the object, or a key it names) is highlighted. Secrets show their name and
 * key names only — the backend never sends values.
 *
 * @public
 */
export function ConfigRelations(props: { references: ConfigReference[] }) {
  const classes = useStyles();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (props.references.length === 0) return <>{t('relations.none')}</>;
  // Problems first, then by kind and name.
  const order: ReferenceStatus[] = [
    'missing',
    'missingKeys',
    'unknown',
    'optionalAbsent',
    'ok',
  ];
  const refs = [...props.references].sort(
    (a, b) =>
      order.indexOf(referenceStatus(a)) - order.indexOf(referenceStatus(b)) ||
      a.kind.localeCompare(b.kind) ||
      a.name.localeCompare(b.name),
  );
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {refs.map(ref => {
        const status = referenceStatus(ref);
        const kind =
          ref.kind === 'Secret'
            ? t('relations.secret')
            : t('relations.configMap');
        const missingKeys = ref.keys
          .filter(k => k.exists === false)
          .map(k => k.name);
        const note = (() => {
          switch (status) {
            case 'missing':
              return t('relations.missing');
            case 'missingKeys':
              return t('relations.missingKeys', {
                keys: missingKeys.join(', '),
              });
            case 'unknown':
              return t('relations.unknown');
            case 'optionalAbsent':
              return t('relations.optionalAbsent');
            default:
              return undefined;
          }
        })();
        const details = [
          `${kind} ${ref.name}`,
          note,
          ref.message,
          t('relations.usedBy', {
            containers: ref.containers.join(', ') || '—',
            via: ref.via.join(', '),
          }),
          ref.keys.length
            ? t('relations.keysNamed', {
                keys: ref.keys
                  .map(k => (k.exists === false ? `${k.name} ✗` : k.name))
                  .join(', '),
              })
            : undefined,
          ref.objectKeys
            ? t('relations.keysHeld', {
                keys: ref.objectKeys.join(', ') || '—',
              })
            : undefined,
          ref.kind === 'Secret' ? t('relations.valuesHidden') : undefined,
        ].filter(Boolean);
        const problem = status === 'missing' || status === 'missingKeys';
        return (
          <Tooltip
            key={`${ref.kind}/${ref.name}`}
            title={
              <span style={{ whiteSpace: 'pre-line' }}>
                {details.join('\n')}
              </span>
            }
          >
            <Chip
              size="small"
              variant="outlined"
              data-status={status}
              className={[
                classes.chip,
                problem ? classes.missing : '',
                status === 'unknown' ? classes.unknown : '',
              ].join(' ')}
              icon={ref.kind === 'Secret' ? <VpnKeyIcon /> : <SettingsIcon />}
              label={note ? `${ref.name} · ${note}` : ref.name}
              aria-label={`${kind} ${ref.name}${note ? `: ${note}` : ''}`}
            />
          </Tooltip>
        );
      })}
    </Box>
  );
}
