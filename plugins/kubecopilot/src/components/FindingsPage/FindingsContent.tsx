import { parseEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  FindingRecord,
  FindingStatus,
  Severity,
  severitySchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useCallback, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { kubecopilotApiRef } from '../../api';
import { kubecopilotTranslationRef } from '../../translation';

/** Open for at least this long (the "Age" filter). */
const AGE_MS: Record<string, number> = {
  '1h': 60 * 60 * 1000,
  '1d': 24 * 60 * 60 * 1000,
  '7d': 7 * 24 * 60 * 60 * 1000,
};

const SEVERITY_COLOR: Record<Severity, 'default' | 'primary' | 'secondary'> = {
  critical: 'secondary',
  error: 'secondary',
  warning: 'primary',
  info: 'default',
};

const SEVERITY_ORDER: Severity[] = ['critical', 'error', 'warning', 'info'];

/** "3 h", "2 d": how long ago, compactly. */
export function age(since: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

function Picker(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
}) {
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      size="small"
      variant="outlined"
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      style={{ minWidth: 170 }}
    >
      {props.options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

const distinct = (values: Array<string | undefined>) =>
  [...new Set(values.filter((v): v is string => !!v))].sort();

/**
 * Open findings across the portal, as the findings scan keeps them,
 * filterable by owner, cluster, severity and age; each links to its
 * entity's "AI Diagnose" tab, where it is explained.
 */
export function FindingsContent() {
  const api = useApi(kubecopilotApiRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const [owner, setOwner] = useState('');
  const [cluster, setCluster] = useState('');
  const [severity, setSeverity] = useState('');
  const [minAge, setMinAge] = useState('');
  const [status, setStatus] = useState<FindingStatus>('open');
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listFindings({ status, limit: 1000 }),
    [api, status],
  );
  const diagnoseLink = useCallback(
    (entityRef: string) => {
      const { kind, namespace, name } = parseEntityRef(entityRef);
      return `${entityRoute({
        kind: kind.toLocaleLowerCase('en-US'),
        namespace,
        name,
      })}/kubecopilot-diagnose`;
    },
    [entityRoute],
  );
  // The entity's Postmortems tab, its window around the finding's life.
  const postmortemLink = useCallback(
    (f: FindingRecord) => {
      const margin = 15 * 60 * 1000;
      const from = new Date(Date.parse(f.firstSeen) - margin).toISOString();
      const to = new Date(
        Date.parse(f.resolvedAt ?? f.lastSeen) + margin,
      ).toISOString();
      return `${diagnoseLink(f.entityRef).replace(
        /kubecopilot-diagnose$/,
        'kubecopilot-postmortems',
      )}?${new URLSearchParams({ from, to })}`;
    },
    [diagnoseLink],
  );
  const items = useMemo(() => value?.items ?? [], [value]);
  const now = Date.now();
  const ageMs = AGE_MS[minAge] ?? 0;
  const rows = items
    .filter(f => !owner || f.ownerRef === owner)
    .filter(f => !cluster || f.cluster === cluster)
    .filter(f => !severity || f.severity === severity)
    .filter(f => now - Date.parse(f.firstSeen) >= ageMs)
    // The worst first; among equals, the longest open.
    .sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity) -
          SEVERITY_ORDER.indexOf(b.severity) ||
        a.firstSeen.localeCompare(b.firstSeen),
    )
    .map(f => ({ ...f, id: `${f.entityRef}|${f.fingerprint}` }));

  if (loading && !value) return <Progress />;
  const resolved = status === 'resolved';
  if (error) return <ResponseErrorPanel error={error} />;

  const columns: TableColumn<FindingRecord & { id: string }>[] = [
    {
      title: t('findingsPage.severity'),
      field: 'severity',
      width: '8%',
      render: f => (
        <Chip
          size="small"
          label={f.severity}
          color={SEVERITY_COLOR[f.severity]}
        />
      ),
    },
    {
      title: t('findingsPage.colFinding'),
      field: 'title',
      width: '50%',
      render: f => (
        <>
          <Link to={diagnoseLink(f.entityRef)}>{f.title}</Link>
          <Typography variant="body2" color="textSecondary">
            {f.finding.message}
          </Typography>
        </>
      ),
    },
    {
      title: t('findingsPage.colEntity'),
      field: 'entityRef',
      render: f => <EntityRefLink entityRef={f.entityRef} />,
    },
    {
      title: t('findingsPage.owner'),
      field: 'ownerRef',
      render: f =>
        f.ownerRef ? <EntityRefLink entityRef={f.ownerRef} /> : '—',
    },
    { title: t('findingsPage.cluster'), field: 'cluster' },
    {
      title: t('findingsPage.colOpenFor'),
      field: 'firstSeen',
      render: f => <span title={f.firstSeen}>{age(f.firstSeen, now)}</span>,
    },
    ...(resolved
      ? [
          {
            title: t('findingsPage.colResolved'),
            field: 'resolvedAt',
            render: (f: FindingRecord) => (
              <>
                <span title={f.resolvedAt}>
                  {t('findingsPage.ago', { age: age(f.resolvedAt!, now) })}
                </span>
                <br />
                <Link to={postmortemLink(f)}>
                  {t('findingsPage.postmortem')}
                </Link>
              </>
            ),
          },
        ]
      : []),
    {
      title: t('findingsPage.colLastSeen'),
      field: 'lastSeen',
      render: f => (
        <span title={f.lastSeen}>
          {t('findingsPage.ago', { age: age(f.lastSeen, now) })}
        </span>
      ),
    },
  ];

  return (
    <>
      <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 16 }}>
        <Picker
          id="findings-filter-status"
          label={t('findingsPage.status')}
          value={status}
          onChange={v => setStatus(v as FindingStatus)}
          options={[
            { value: 'open', label: t('findingsPage.statusOpen') },
            { value: 'resolved', label: t('findingsPage.statusResolved') },
          ]}
        />
        <Picker
          id="findings-filter-owner"
          label={t('findingsPage.owner')}
          value={owner}
          onChange={setOwner}
          options={[
            { value: '', label: t('findingsPage.anyOwner') },
            ...distinct(items.map(f => f.ownerRef)).map(o => ({
              value: o,
              label: parseEntityRef(o).name,
            })),
          ]}
        />
        <Picker
          id="findings-filter-cluster"
          label={t('findingsPage.cluster')}
          value={cluster}
          onChange={setCluster}
          options={[
            { value: '', label: t('findingsPage.anyCluster') },
            ...distinct(items.map(f => f.cluster)).map(c => ({
              value: c,
              label: c,
            })),
          ]}
        />
        <Picker
          id="findings-filter-severity"
          label={t('findingsPage.severity')}
          value={severity}
          onChange={setSeverity}
          options={[
            { value: '', label: t('findingsPage.anySeverity') },
            ...[...severitySchema.options].reverse().map(s => ({
              value: s,
              label: s,
            })),
          ]}
        />
        <Picker
          id="findings-filter-age"
          label={t('findingsPage.age')}
          value={minAge}
          onChange={setMinAge}
          options={[
            { value: '', label: t('findingsPage.anyAge') },
            { value: '1h', label: t('findingsPage.age1h') },
            { value: '1d', label: t('findingsPage.age1d') },
            { value: '7d', label: t('findingsPage.age7d') },
          ]}
        />
      </Box>
      {items.length === 0 ? (
        <EmptyState
          missing="data"
          title={t('findingsPage.emptyTitle')}
          description={t('findingsPage.emptyDescription')}
        />
      ) : (
        <Table
          title={
            resolved
              ? t('findingsPage.resolvedTitle', { n: String(rows.length) })
              : t('findingsPage.tableTitle', { n: String(rows.length) })
          }
          options={{ paging: rows.length > 50, pageSize: 50, search: true }}
          columns={columns}
          data={rows}
          actions={[
            {
              icon: () => <RefreshIcon />,
              tooltip: t('findingsPage.reload'),
              isFreeAction: true,
              onClick: () => retry(),
            },
          ]}
        />
      )}
    </>
  );
}
