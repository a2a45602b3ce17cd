import { parseEntityRef } from '@backstage/catalog-model';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  FindingRecord,
  FindingStatus,
  Severity,
  severitySchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import { kubecopilotTranslationRef } from '../../translation';
import { FilterSelect } from '../FilterSelect';

/** What the findings page is filtered by; '' means "any". */
export interface FindingFilterValues {
  status: FindingStatus;
  owner: string;
  cluster: string;
  severity: string;
  minAge: string;
}

/** Open for at least this long (the "Age" filter). */
const AGE_MS: Record<string, number> = {
  '1h': 60 * 60 * 1000,
  '1d': 24 * 60 * 60 * 1000,
  '7d': 7 * 24 * 60 * 60 * 1000,
};

const SEVERITY_ORDER: Severity[] = ['critical', 'error', 'warning', 'info'];

const distinct = (values: Array<string | undefined>) =>
  [...new Set(values.filter((v): v is string => !!v))].sort();

/** The findings that pass the filters, the worst and longest open first. */
export function filterFindings(
  items: FindingRecord[],
  filters: FindingFilterValues,
  now: number,
) {
  const { owner, cluster, severity, minAge } = filters;
  const ageMs = AGE_MS[minAge] ?? 0;
  return (
    items
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
      .map(f => ({ ...f, id: `${f.entityRef}|${f.fingerprint}` }))
  );
}

/** The status, owner, cluster, severity and age pickers above the table. */
export function FindingsFilters(props: {
  items: FindingRecord[];
  filters: FindingFilterValues;
  onChange: (patch: Partial<FindingFilterValues>) => void;
}) {
  const { items, filters, onChange } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 16 }}>
      <FilterSelect
        id="findings-filter-status"
        label={t('findingsPage.status')}
        value={filters.status}
        onChange={v => onChange({ status: v as FindingStatus })}
        minWidth={170}
        options={[
          { value: 'open', label: t('findingsPage.statusOpen') },
          { value: 'resolved', label: t('findingsPage.statusResolved') },
        ]}
      />
      <FilterSelect
        id="findings-filter-owner"
        label={t('findingsPage.owner')}
        value={filters.owner}
        onChange={owner => onChange({ owner })}
        minWidth={170}
        options={[
          { value: '', label: t('findingsPage.anyOwner') },
          ...distinct(items.map(f => f.ownerRef)).map(o => ({
            value: o,
            label: parseEntityRef(o).name,
          })),
        ]}
      />
      <FilterSelect
        id="findings-filter-cluster"
        label={t('findingsPage.cluster')}
        value={filters.cluster}
        onChange={cluster => onChange({ cluster })}
        minWidth={170}
        options={[
          { value: '', label: t('findingsPage.anyCluster') },
          ...distinct(items.map(f => f.cluster)).map(c => ({
            value: c,
            label: c,
          })),
        ]}
      />
      <FilterSelect
        id="findings-filter-severity"
        label={t('findingsPage.severity')}
        value={filters.severity}
        onChange={severity => onChange({ severity })}
        minWidth={170}
        options={[
          { value: '', label: t('findingsPage.anySeverity') },
          ...[...severitySchema.options].reverse().map(s => ({
            value: s,
            label: s,
          })),
        ]}
      />
      <FilterSelect
        id="findings-filter-age"
        label={t('findingsPage.age')}
        value={filters.minAge}
        onChange={minAge => onChange({ minAge })}
        minWidth={170}
        options={[
          { value: '', label: t('findingsPage.anyAge') },
          { value: '1h', label: t('findingsPage.age1h') },
          { value: '1d', label: t('findingsPage.age1d') },
          { value: '7d', label: t('findingsPage.age7d') },
        ]}
      />
    </Box>
  );
}
