import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';

// Waiting/terminated reasons a healthy rollout passes through; everything else
// (CrashLoopBackOff, ImagePullBackOff, OOMKilled, …) means something is wrong.
const TRANSIENT_REASONS = new Set([
  'ContainerCreating',
  'PodInitializing',
  'Completed',
]);

const useStyles = makeStyles(theme => ({
  problem: {
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  problemIcon: {
    color: theme.palette.error.main,
  },
}));

/** Whether a container reason points at a problem rather than a normal step. */
export function isProblemReason(reason: string): boolean {
  return !TRANSIENT_REASONS.has(reason);
}

/** A waiting/terminated container reason, shown as a status chip. */
export function ReasonChip(props: { reason: string }) {
  const { reason } = props;
  const classes = useStyles();
  const problem = isProblemReason(reason);
  return (
    <Chip
      size="small"
      variant="outlined"
      label={reason}
      className={problem ? classes.problem : undefined}
      icon={
        problem ? (
          <ErrorOutlineIcon className={classes.problemIcon} />
        ) : undefined
      }
    />
  );
}
