import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  OperationPlan,
  PlanStatus,
  RiskLevel,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/Check';
import RefreshIcon from '@material-ui/icons/Refresh';
import { ReactNode } from 'react';
import { formatTarget, formatUser } from './format';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  KubecopilotT,
  kubecopilotTranslationRef,
  tOr,
} from '../../translation';
import { Timestamp } from '../Timestamp';

const useApprovedStyles = makeStyles(theme => ({
  root: {
    fontWeight: theme.typography.fontWeightMedium as number,
    alignItems: 'baseline',
    display: 'flex',
  },
  icon: {
    flexShrink: 0,
    position: 'relative',
    top: '0.125em',
    width: '0.8em',
    height: '0.8em',
    marginRight: theme.spacing(1),
    fill: (theme.palette as any).status?.ok ?? theme.palette.success.main,
  },
}));

/**
 * Approved and waiting to be executed: a plain check beside the label, in
 * the look of the core status labels (whose "running" icon reads as a
 * spinner, as if something were already happening).
 */
function StatusApproved(props: { children: string }) {
  const classes = useApprovedStyles();
  return (
    <Typography component="span" className={classes.root}>
      <CheckIcon className={classes.icon} data-testid="status-approved" />
      {props.children}
    </Typography>
  );
}

/** @public */
export function PlanStatusLabel(props: { status: PlanStatus }) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const label = t(`plans.status.${props.status}`);
  switch (props.status) {
    case 'pending':
    case 'paused':
      return <StatusPending>{label}</StatusPending>;
    case 'confirmed':
      return <StatusApproved>{label}</StatusApproved>;
    case 'executing':
      return <StatusRunning>{label}</StatusRunning>;
    case 'executed':
      return <StatusOK>{label}</StatusOK>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusAborted>{label}</StatusAborted>;
  }
}

const useRiskStyles = makeStyles(theme => ({
  low: {
    color: theme.palette.success.main,
    borderColor: theme.palette.success.main,
  },
  medium: {
    color: theme.palette.warning.dark,
    borderColor: theme.palette.warning.main,
  },
  high: {
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
}));

/** @public */
export function RiskChip(props: { level: RiskLevel }) {
  const classes = useRiskStyles();
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes[props.level]}
      label={t('plans.riskChip', { level: t(`plans.risk.${props.level}`) })}
    />
  );
}

type Row = OperationPlan & { tableId: string };

/** "restart", "回滚": a plan's action in the user's language. */
export function actionLabel(action: string, t: KubecopilotT): string {
  return tOr(t, `plans.action.${action}`, action);
}

function buildColumns(
  showEntity: boolean,
  t: KubecopilotT,
): TableColumn<Row>[] {
  return [
    {
      title: t('plans.columns.status'),
      field: 'status',
      cellStyle: { whiteSpace: 'nowrap' },
      render: row => <PlanStatusLabel status={row.status} />,
    },
    ...(showEntity
      ? [
          {
            title: t('plans.columns.entity'),
            field: 'entityRef',
            // Catalog names are single words: never break one.
            cellStyle: { whiteSpace: 'nowrap' as const },
            render: (row: Row) => (
              <EntityRefLink
                entityRef={row.entityRef}
                defaultKind="component"
              />
            ),
          },
        ]
      : []),
    {
      title: t('plans.columns.action'),
      field: 'action',
      render: row => actionLabel(row.action, t),
    },
    {
      title: t('plans.columns.target'),
      sorting: false,
      render: row => (
        <>
          <Typography variant="body2">{formatTarget(row.resource)}</Typography>
          <Typography variant="caption" color="textSecondary">
            {t('plans.onCluster', { cluster: row.resource.cluster })}
          </Typography>
        </>
      ),
    },
    {
      title: t('plans.columns.risk'),
      field: 'risk.level',
      render: row => <RiskChip level={row.risk.level} />,
    },
    {
      title: t('plans.columns.requester'),
      field: 'audit.requestedBy',
      render: row => formatUser(row.audit.requestedBy),
    },
    {
      title: t('plans.columns.age'),
      field: 'audit.timestamps.createdAt',
      defaultSort: 'desc',
      render: row => <Timestamp iso={row.audit.timestamps.createdAt} />,
    },
  ];
}

/** @public */
export interface PlansTableProps {
  title: string;
  plans: OperationPlan[];
  /** The inbox lists plans of many entities; an entity tab does not need the column. */
  showEntity?: boolean;
  loading?: boolean;
  onRefresh?: () => void;
  emptyContent?: ReactNode;
  /** Opens a plan, e.g. its review. */
  onOpen?: (plan: OperationPlan) => void;
  /** Lets the user tick rows, for batch decisions. */
  onSelectionChange?: (plans: OperationPlan[]) => void;
}

/** @public */
export function PlansTable(props: PlansTableProps) {
  const {
    title,
    plans,
    showEntity = false,
    loading,
    onRefresh,
    onOpen,
    onSelectionChange,
  } = props;
  const data: Row[] = plans.map(p => ({ ...p, tableId: p.id }));
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Table<Row>
      title={title}
      isLoading={loading}
      columns={buildColumns(showEntity, t)}
      data={data}
      emptyContent={props.emptyContent}
      onRowClick={onOpen ? (_event, row) => row && onOpen(row) : undefined}
      onSelectionChange={
        onSelectionChange
          ? rows => onSelectionChange(rows as OperationPlan[])
          : undefined
      }
      options={{
        selection: Boolean(onSelectionChange),
        paging: data.length > 20,
        pageSize: 20,
        search: data.length > 5,
        padding: 'dense',
      }}
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
