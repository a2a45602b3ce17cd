import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { useMemo } from 'react';
import ReactDiffViewer from 'react-diff-viewer-continued';
import { stringify } from 'yaml';
import { forReading } from './planActions';

function toYaml(object: Record<string, unknown> | null): string {
  const readable = forReading(object);
  return readable ? stringify(readable, { sortMapEntries: false }) : '';
}

/** The exact change, side by side, with unchanged lines folded away. */
export function DiffView(props: { diff: OperationPlan['diff'] }) {
  const { before, after } = props.diff;
  const theme = useTheme();
  const oldValue = useMemo(() => toYaml(before), [before]);
  const newValue = useMemo(() => toYaml(after), [after]);

  if (!before && !after) {
    return (
      <Typography variant="body2" color="textSecondary">
        This plan carries no manifest diff.
      </Typography>
    );
  }
  return (
    <div data-testid="plan-diff">
      <ReactDiffViewer
        oldValue={oldValue}
        newValue={newValue}
        splitView
        showDiffOnly
        extraLinesSurroundingDiff={3}
        disableWorker
        leftTitle={before ? 'Now in the cluster' : 'Does not exist yet'}
        rightTitle={after ? 'After the plan' : 'Deleted'}
        useDarkTheme={theme.palette.type === 'dark'}
      />
    </div>
  );
}
