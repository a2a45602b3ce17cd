import {
  OperationPlan,
  PlanStatus,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import { useMemo } from 'react';
import ReactDiffViewer from 'react-diff-viewer-continued';
import { stringify } from 'yaml';
import { forReading } from './planActions';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';

function toYaml(object: Record<string, unknown> | null): string {
  const readable = forReading(object);
  return readable ? stringify(readable, { sortMapEntries: false }) : '';
}

/**
 * The two columns' labels for a plan in this state: before execution the
 * left side is the cluster now; after it, the right side is.
 */
export function diffLabels(
  diff: OperationPlan['diff'],
  status: PlanStatus | undefined,
  t: KubecopilotT,
): { left: string; right: string } {
  const { before, after } = diff;
  switch (status) {
    case 'executed':
      return {
        left: before ? t('diff.wasInCluster') : t('diff.didNotExist'),
        right: after ? t('diff.now') : t('diff.deleted'),
      };
    case 'reverted':
      return {
        left: before ? t('diff.beforeRestored') : t('diff.didNotExist'),
        right: after ? t('diff.planHadSet') : t('diff.deleted'),
      };
    case 'failed':
    case 'rejected':
    case 'expired':
      return {
        left: before ? t('diff.whenMade') : t('diff.didNotExist'),
        right: after ? t('diff.wouldHaveSet') : t('diff.wouldHaveDeleted'),
      };
    default:
      return {
        left: before ? t('diff.nowInCluster') : t('diff.notYet'),
        right: after ? t('diff.afterPlan') : t('diff.deleted'),
      };
  }
}

/**
 * "Lines 1–28 unchanged": the library hands over the number of folded lines
 * and the last folded line on each side (its own header, `@@ -0,28`, is off
 * by one and reads as a patch, not as words).
 */
export function foldMessage(
  count: number,
  leftLast: number,
  rightLast: number,
  t: KubecopilotT,
): string {
  const range = (last: number) =>
    count === 1 ? `${last}` : `${last - count + 1}–${last}`;
  const left = range(leftLast);
  const right = range(rightLast);
  const where = left === right ? left : `${left} → ${right}`;
  return t('diff.fold', { count, where });
}

const useStyles = makeStyles(theme => ({
  labels: {
    display: 'flex',
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  label: {
    width: '50%',
    padding: theme.spacing(0.5, 1),
  },
}));

/** The exact change, side by side, with unchanged lines folded away. */
export function DiffView(props: {
  diff: OperationPlan['diff'];
  /** The plan's status: the labels speak of before or after execution. */
  status?: PlanStatus;
}) {
  const { diff, status } = props;
  const { before, after } = diff;
  const theme = useTheme();
  const classes = useStyles();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const oldValue = useMemo(() => toYaml(before), [before]);
  const newValue = useMemo(() => toYaml(after), [after]);

  if (!before && !after) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('diff.noDiff')}
      </Typography>
    );
  }
  const labels = diffLabels(diff, status, t);
  return (
    <div data-testid="plan-diff">
      {/*
        The labels sit outside the viewer: its own sticky title row is
        covered by the first folded block inside a scrolling dialog.
      */}
      <Box className={classes.labels} data-testid="plan-diff-labels">
        <Typography variant="subtitle2" className={classes.label}>
          {labels.left}
        </Typography>
        <Typography variant="subtitle2" className={classes.label}>
          {labels.right}
        </Typography>
      </Box>
      <ReactDiffViewer
        oldValue={oldValue}
        newValue={newValue}
        splitView
        showDiffOnly
        extraLinesSurroundingDiff={3}
        disableWorker
        // The summary strip ("2 ▪▪▪▪▪") counts hunks in squares; the labels
        // and the folded-line messages already say what changed where.
        hideSummary
        codeFoldMessageRenderer={(count, leftLast, rightLast) => (
          <span>{foldMessage(count, leftLast, rightLast, t)}</span>
        )}
        useDarkTheme={theme.palette.type === 'dark'}
      />
    </div>
  );
}
