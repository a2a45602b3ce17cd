import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { WorkloadSummary } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ReasonChip, isProblemReason } from '../ReasonChip';
import { ConfigRelations } from '../ConfigRelations';
import { KubecopilotT, kubecopilotTranslationRef } from '../../translation';

/** The health a workload row shows, derived only from what the cluster reported. */
export type WorkloadHealth =
  | 'healthy'
  | 'warning'
  | 'degraded'
  | 'failing'
  | 'idle';

/**
 * The icon follows the current state first: a workload with every replica
 * ready is not failing, even if a pod still reports the reason of an earlier
 * crash (`lastState`) — that is a warning to look at, not a red light.
 */
export function workloadHealth(workload: WorkloadSummary): WorkloadHealth {
  const problem = workload.reasons.some(isProblemReason);
  if (workload.desired === 0) {
    return 'idle';
  }
  if (workload.ready >= workload.desired) {
    return problem ? 'warning' : 'healthy';
  }
  return problem ? 'failing' : 'degraded';
}

/** @public */
export const HEALTH_LABELS: Record<WorkloadHealth, string> = {
  healthy: 'Healthy',
  warning: 'Ready, but pods reported problems recently',
  degraded: 'Degraded',
  failing: 'Failing',
  idle: 'Scaled to zero',
};

/** Ready/desired, with the workload's health as the status icon. */
export function ReadyStatus(props: { workload: WorkloadSummary }) {
  const { workload } = props;
  const health = workloadHealth(workload);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const text = t('workloadsTable.ready', {
    ready: String(workload.ready),
    desired: String(workload.desired),
  });
  const status = (() => {
    switch (health) {
      case 'healthy':
        return <StatusOK>{text}</StatusOK>;
      case 'warning':
      case 'degraded':
        return <StatusWarning>{text}</StatusWarning>;
      case 'failing':
        return <StatusError>{text}</StatusError>;
      default:
        return <StatusAborted>{text}</StatusAborted>;
    }
  })();
  return (
    <span title={t(`workloadsTable.health.${health}`)} data-health={health}>
      {status}
    </span>
  );
}

function PodPhases(props: { podPhases: Record<string, number> }) {
  const entries = Object.entries(props.podPhases).filter(([, n]) => n > 0);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (entries.length === 0) {
    return <>{t('workloadsTable.noPods')}</>;
  }
  return (
    <>
      {entries.map(([phase, n]) => (
        <div key={phase}>{`${n} ${phase}`}</div>
      ))}
    </>
  );
}

type Row = WorkloadSummary & { id: string };

/**
 * An image reference that wraps only between its parts (registry, path,
 * tag, digest), never inside a name: `break-all` made "checkout" read as
 * "checko/ut" in a narrow column.
 */
export function BreakableImage(props: { image: string }) {
  const parts = props.image.split(/(?<=[/:@])/);
  // Text nodes side by side in one element: the reference stays one string
  // to search and copy.
  return (
    <>
      {parts.flatMap((part, i) =>
        i < parts.length - 1 ? [part, <wbr key={i} />] : [part],
      )}
    </>
  );
}

// Short values read best on one line and their columns shrink to fit them
// (a 1% width in an auto table layout), leaving the rest to the images. A fresh
// style object per column: the Table mutates it for highlighted columns.
const noWrap = () => ({ whiteSpace: 'nowrap' as const });
const fit = '1%';

const columns = (t: KubecopilotT): TableColumn<Row>[] => [
  {
    title: t('workloadsTable.columns.cluster'),
    field: 'cluster',
    cellStyle: noWrap(),
    width: fit,
    render: row => (
      <Chip
        size="small"
        icon={<CloudQueueIcon />}
        label={row.cluster}
        aria-label={t('workloadsTable.clusterLabel', { cluster: row.cluster })}
      />
    ),
  },
  {
    title: t('workloadsTable.columns.workload'),
    field: 'name',
    cellStyle: noWrap(),
    width: fit,
    render: row => (
      <>
        <Typography variant="body2" style={{ fontWeight: 'bold' }}>
          {row.name}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {row.kind} · {row.namespace}
        </Typography>
      </>
    ),
  },
  // Not shown on their own (the workload cell has them), but searchable.
  {
    title: t('workloadsTable.columns.kind'),
    field: 'kind',
    hidden: true,
    searchable: true,
  },
  {
    title: t('workloadsTable.columns.namespace'),
    field: 'namespace',
    hidden: true,
    searchable: true,
  },
  {
    title: t('workloadsTable.columns.ready'),
    field: 'ready',
    cellStyle: noWrap(),
    width: fit,
    render: row => <ReadyStatus workload={row} />,
  },
  {
    title: t('workloadsTable.columns.pods'),
    sorting: false,
    cellStyle: noWrap(),
    width: fit,
    render: row => <PodPhases podPhases={row.podPhases} />,
  },
  {
    title: t('workloadsTable.columns.restarts'),
    field: 'restarts',
    type: 'numeric',
    cellStyle: noWrap(),
    width: fit,
  },
  {
    title: t('workloadsTable.columns.reasons'),
    sorting: false,
    width: fit,
    // A reason is one word (CrashLoopBackOff): chips wrap between reasons,
    // never inside one.
    cellStyle: { minWidth: 150 },
    render: row =>
      row.reasons.length === 0 ? (
        '—'
      ) : (
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {row.reasons.map(reason => (
            <ReasonChip key={reason} reason={reason} />
          ))}
        </Box>
      ),
  },
  {
    title: t('workloadsTable.columns.images'),
    sorting: false,
    cellStyle: { minWidth: 160 },
    render: row =>
      row.images.map(image => (
        <Typography
          key={image}
          variant="caption"
          component="div"
          // A digest is one long word: break it only when nothing else fits.
          style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}
        >
          <BreakableImage image={image} />
        </Typography>
      )),
  },
];

/** @public */
export interface WorkloadsTableProps {
  workloads: WorkloadSummary[];
  /** The clusters that answered; shown so the reader knows where rows came from. */
  clusters: string[];
  loading?: boolean;
  onRefresh?: () => void;
}

/**
 * An entity's workloads across clusters, one row per workload, each labelled
 * with its cluster.
 *
 * @public
 */
export function WorkloadsTable(props: WorkloadsTableProps) {
  const { workloads, clusters, loading, onRefresh } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  // The ConfigMaps and Secrets each workload uses, before the images (the
  // last column), when the backend reported them.
  const base = columns(t);
  const shown: TableColumn<Row>[] = workloads.some(w => w.config)
    ? [
        ...base.slice(0, -1),
        {
          title: t('relations.column'),
          sorting: false,
          cellStyle: { minWidth: 160 },
          render: row => <ConfigRelations references={row.config ?? []} />,
        },
        ...base.slice(-1),
      ]
    : base;
  // material-table mutates the rows it is given (tableData), so hand it copies.
  const data: Row[] = workloads.map(w => ({
    ...w,
    id: `${w.cluster}/${w.kind}/${w.namespace}/${w.name}`,
  }));
  return (
    <Table<Row>
      title={t('workloadsTable.title')}
      subtitle={
        clusters.length > 0
          ? t(
              clusters.length === 1
                ? 'workloadsTable.fromCluster'
                : 'workloadsTable.fromClusters',
              { clusters: clusters.join(', ') },
            )
          : undefined
      }
      isLoading={loading}
      options={{
        paging: data.length > 20,
        pageSize: 20,
        search: data.length > 5,
        padding: 'dense',
      }}
      columns={shown}
      data={data}
      actions={
        onRefresh
          ? [
              {
                icon: () => <RefreshIcon />,
                tooltip: t('common.refresh'),
                isFreeAction: true,
                onClick: () => onRefresh(),
              },
            ]
          : undefined
      }
    />
  );
}
