import { ManifestCheck } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import Link from '@material-ui/core/Link';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { TextRange } from './yamlPaths';

const SEVERITY_COLOR: Record<
  ManifestCheck['severity'],
  'secondary' | 'primary' | 'default'
> = {
  error: 'secondary',
  warning: 'primary',
  info: 'default',
};

/**
 * The checks as a reviewer's list: what is wrong and why, what to do, which
 * well-known check it follows, the line it is about — and, when a plan may
 * change the field, the suggested value in one click.
 */
export function CheckList(props: {
  checks: ManifestCheck[];
  ranges: Array<TextRange | undefined>;
  /** Why suggested fixes cannot be applied; undefined when they can. */
  fixDisabledReason?: string;
  onApply: (check: ManifestCheck) => void;
  onShowLine: (range: TextRange) => void;
}) {
  const { checks, ranges, fixDisabledReason, onApply, onShowLine } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (checks.length === 0) {
    return (
      <Typography variant="body2">
        No findings: resources, probes, image, security context and availability
        all look like what a careful reviewer would ask for.
      </Typography>
    );
  }
  return (
    <List dense aria-label={t('yaml.checksLabel')}>
      {checks.map((check, i) => {
        const range = ranges[i];
        return (
          <ListItem
            key={`${check.id}-${check.path}`}
            divider
            data-testid={`check-${check.id}`}
            style={{ display: 'block' }}
          >
            <Box display="flex" alignItems="center" style={{ gap: 8 }}>
              <Chip
                size="small"
                color={SEVERITY_COLOR[check.severity]}
                label={t(`yaml.severity.${check.severity}`)}
              />
              <Typography variant="body2" component="span">
                <strong>{check.message}</strong>
              </Typography>
            </Box>
            <Typography variant="body2" style={{ marginTop: 4 }}>
              {check.fix}
            </Typography>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 12, marginTop: 4 }}
            >
              {range ? (
                <Link
                  component="button"
                  variant="caption"
                  onClick={() => onShowLine(range)}
                >
                  {t('yaml.line', { line: String(range.line) })}
                </Link>
              ) : null}
              <Typography variant="caption" color="textSecondary">
                <code>{check.path}</code> · {check.source}
              </Typography>
              {check.suggestion ? (
                <Button
                  size="small"
                  variant="outlined"
                  color="primary"
                  disabled={!!fixDisabledReason}
                  title={fixDisabledReason}
                  onClick={() => onApply(check)}
                >
                  {t('yaml.applyFix', {
                    value: String(check.suggestion.value),
                  })}
                </Button>
              ) : null}
            </Box>
          </ListItem>
        );
      })}
    </List>
  );
}
