import { parseEntityRef } from '@backstage/catalog-model';
import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { kubecopilotTranslationRef } from '../../translation';
import { EntityRefLink, entityRouteRef } from '@backstage/plugin-catalog-react';
import { OperationPlan } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import RefreshIcon from '@material-ui/icons/Refresh';
import { ReactNode, useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { usePlans } from '../../hooks/usePlans';
import { inboxRouteRef } from '../../routes';
import { describeStatus } from '../EntitySummaryCard';
import { PlansTable } from '../PlansTable';
import { ServiceStatus, useServicesStatus } from './useServicesStatus';

/** How many plans each list on the home shows; the inbox has the rest. */
export const HOME_PLANS_LIMIT = 10;

/** The path of an entity's page plus one of its tabs. */
function useEntityTabLink() {
  const entityRoute = useRouteRef(entityRouteRef);
  return useCallback(
    (entityRef: string, tab: string) => {
      const { kind, namespace, name } = parseEntityRef(entityRef, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      return `${entityRoute({
        kind: kind.toLocaleLowerCase('en-US'),
        namespace,
        name,
      })}/${tab}`;
    },
    [entityRoute],
  );
}

function ServiceStatusText(props: { service: ServiceStatus }) {
  const { status, error, unreadClusters } = props.service;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (error) {
    return <StatusWarning>{t('home.couldNotRead')}</StatusWarning>;
  }
  if (!status) {
    return <StatusPending>{t('home.notChecked')}</StatusPending>;
  }
  const text = describeStatus(status, t);
  if (status.problems.length > 0) return <StatusError>{text}</StatusError>;
  if (unreadClusters.length > 0) {
    return (
      <StatusWarning>
        {t('home.withUnread', { text, clusters: unreadClusters.join(', ') })}
      </StatusWarning>
    );
  }
  if (status.total === 0) return <StatusPending>{text}</StatusPending>;
  return <StatusOK>{text}</StatusOK>;
}

type ServiceRow = ServiceStatus & { id: string };

function ServicesSection() {
  const { value, loading, error, retry } = useServicesStatus();
  const tabLink = useEntityTabLink();
  const { t } = useTranslationRef(kubecopilotTranslationRef);

  if (error) {
    return <ResponseErrorPanel error={error} title={t('home.servicesError')} />;
  }
  if (!value && loading) {
    return <Progress />;
  }
  if (!value) {
    return (
      <InfoCard title={t('home.servicesTitle')}>
        <Typography variant="body2" color="textSecondary">
          {t('home.noCatalog')}
        </Typography>
      </InfoCard>
    );
  }
  if (value.length === 0) {
    return (
      <InfoCard title={t('home.servicesTitle')}>
        <Typography variant="body2" color="textSecondary">
          {t('home.noServices')}
        </Typography>
      </InfoCard>
    );
  }

  const troubled = value.filter(s => s.status && s.status.problems.length > 0);
  const columns: TableColumn<ServiceRow>[] = [
    {
      title: t('home.columnService'),
      field: 'entityRef',
      cellStyle: { whiteSpace: 'nowrap' },
      render: row => (
        <EntityRefLink entityRef={row.entity} defaultKind="component" />
      ),
    },
    {
      title: t('home.columnNow'),
      sorting: false,
      render: row => <ServiceStatusText service={row} />,
    },
    {
      title: '',
      sorting: false,
      align: 'right',
      cellStyle: { whiteSpace: 'nowrap' },
      render: row => (
        <Link to={tabLink(row.entityRef, 'kubecopilot-diagnose')}>
          {row.status && row.status.problems.length > 0
            ? t('home.diagnose')
            : t('home.aiDiagnose')}
        </Link>
      ),
    },
  ];

  return (
    <>
      <Box mb={1} data-testid="services-headline">
        <Typography variant="body1" component="div">
          {troubled.length === 0 ? (
            <StatusOK>
              {value.length === 1
                ? t('home.oneServiceFine')
                : t('home.allServicesFine', { count: value.length })}
            </StatusOK>
          ) : (
            <StatusError>
              {value.length === 1
                ? t('home.troubledOfOne', { count: troubled.length })
                : t('home.troubled', {
                    count: troubled.length,
                    total: String(value.length),
                  })}
            </StatusError>
          )}
        </Typography>
      </Box>
      <Table<ServiceRow>
        title={t('home.servicesTitle')}
        subtitle={t('home.problemsFirst')}
        isLoading={loading}
        columns={columns}
        data={value.map(s => ({ ...s, id: s.entityRef }))}
        options={{
          paging: value.length > 20,
          pageSize: 20,
          search: value.length > 10,
          padding: 'dense',
          sorting: false,
        }}
        actions={[
          {
            icon: () => <RefreshIcon />,
            tooltip: t('common.refresh'),
            isFreeAction: true,
            onClick: () => retry(),
          },
        ]}
      />
    </>
  );
}

function PlansSection(props: {
  title: string;
  status?: 'pending';
  empty: string;
  onOpen: (plan: OperationPlan) => void;
  footer?: ReactNode;
}) {
  const { plans, loading, error, retry } = usePlans({
    status: props.status,
    limit: HOME_PLANS_LIMIT,
  });
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  if (error) {
    return (
      <ResponseErrorPanel
        error={error}
        title={t('home.plansError', { title: props.title })}
      />
    );
  }
  if (!plans) {
    return <Progress />;
  }
  if (plans.length === 0) {
    return (
      <InfoCard title={props.title}>
        <Typography variant="body2" color="textSecondary">
          {props.empty}
        </Typography>
      </InfoCard>
    );
  }
  return (
    <>
      <PlansTable
        title={props.title}
        plans={plans.slice(0, HOME_PLANS_LIMIT)}
        showEntity
        loading={loading}
        onRefresh={retry}
        onOpen={props.onOpen}
      />
      {props.footer}
    </>
  );
}

/**
 * What needs attention across the portal: services whose workloads are in
 * trouble first, then the plans waiting for a decision, then recent plans.
 * Each links to its entity, where the diagnosis and the plan review are.
 *
 * @public
 */
export function KubecopilotHomeContent() {
  const navigate = useNavigate();
  const tabLink = useEntityTabLink();
  const inboxLink = useRouteRef(inboxRouteRef);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ServicesSection />
      </Grid>
      <Grid item xs={12}>
        <PlansSection
          title={t('home.waiting')}
          status="pending"
          empty={t('home.waitingEmpty')}
          onOpen={p =>
            navigate(`${inboxLink()}?plan=${encodeURIComponent(p.id)}`)
          }
          footer={
            <Box mt={1}>
              <Link to={inboxLink()}>{t('home.allWaiting')}</Link>
            </Box>
          }
        />
      </Grid>
      <Grid item xs={12}>
        <PlansSection
          title={t('home.recent')}
          empty={t('home.recentEmpty')}
          onOpen={p =>
            navigate(
              `${tabLink(
                p.entityRef,
                'kubecopilot-plans',
              )}?plan=${encodeURIComponent(p.id)}`,
            )
          }
        />
      </Grid>
    </Grid>
  );
}

/**
 * The home inside the new frontend system's page, which brings its own
 * header but no content padding.
 */
export function HomePageContent() {
  return (
    <Content>
      <KubecopilotHomeContent />
    </Content>
  );
}

/**
 * The KubeCopilot home as a full page, for apps on the legacy frontend
 * system; mount it at `/` to land there after sign-in.
 *
 * @public
 */
export function HomePage() {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Page themeId="home">
      <Header title={t('home.title')} subtitle={t('home.subtitle')} />
      <Content>
        <KubecopilotHomeContent />
      </Content>
    </Page>
  );
}
