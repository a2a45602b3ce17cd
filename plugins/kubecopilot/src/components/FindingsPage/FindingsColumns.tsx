import { Link, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  FindingRecord,
  Severity,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { kubecopilotTranslationRef } from '../../translation';
import { age } from './age';
import { useFindingLinks } from './findingLinks';

const SEVERITY_COLOR: Record<Severity, 'default' | 'primary' | 'secondary'> = {
  critical: 'secondary',
  error: 'secondary',
  warning: 'primary',
  info: 'default',
};

/** The findings table's columns; resolved findings also get "Resolved". */
export function useFindingColumns(
  resolved: boolean,
  now: number,
): TableColumn<FindingRecord & { id: string }>[] {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const { diagnoseLink, postmortemLink } = useFindingLinks();
  return [
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
}
