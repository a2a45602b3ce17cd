import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import {
  KubecopilotClient,
  kubecopilotApiRef,
  kubernetesAuthProvidersApiRef,
} from './api';
import {
  KubecopilotMetricsClient,
  kubecopilotMetricsApiRef,
} from './api/MetricsClient';
import { findingsRouteRef, homeRouteRef, inboxRouteRef } from './routes';
import {
  DeploymentPickerField,
  deploymentPickerValidation,
} from './components/DeploymentPickerField';

/**
 * KubeCopilot for apps on the legacy frontend system.
 *
 * @public
 */
export const kubecopilotPlugin = createPlugin({
  id: 'kubecopilot',
  apis: [
    createApiFactory({
      api: kubecopilotApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        // The Kubernetes plugin's, for clusters with client-side auth (oidc, …).
        kubernetesAuthProvidersApi: kubernetesAuthProvidersApiRef,
      },
      factory: ({ discoveryApi, fetchApi, kubernetesAuthProvidersApi }) =>
        new KubecopilotClient({
          discoveryApi,
          fetchApi,
          kubernetesAuthProvidersApi,
        }),
    }),
    createApiFactory({
      api: kubecopilotMetricsApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        kubernetesAuthProvidersApi: kubernetesAuthProvidersApiRef,
      },
      factory: deps => new KubecopilotMetricsClient(deps),
    }),
  ],
  routes: {
    home: homeRouteRef,
    inbox: inboxRouteRef,
    findings: findingsRouteRef,
  },
});

/**
 * The "AI Diagnose" entity tab. Put it in an `EntityLayout.Route`, guarded by
 * `isKubecopilotAvailable`.
 *
 * @public
 */
export const EntityKubecopilotDiagnoseContent = kubecopilotPlugin.provide(
  createComponentExtension({
    name: 'EntityKubecopilotDiagnoseContent',
    component: {
      lazy: () =>
        import('./components/EntityDiagnoseContent').then(
          m => m.EntityDiagnoseContent,
        ),
    },
  }),
);

/**
 * The "Operation Plans" entity tab.
 *
 * @public
 */
export const EntityKubecopilotPlansContent = kubecopilotPlugin.provide(
  createComponentExtension({
    name: 'EntityKubecopilotPlansContent',
    component: {
      lazy: () =>
        import('./components/EntityPlansContent').then(
          m => m.EntityPlansContent,
        ),
    },
  }),
);

/**
 * The "Metrics & SLOs" entity tab: SLOs and error budgets, and the
 * workloads' charts from Prometheus.
 *
 * @public
 */
export const EntityKubecopilotMetricsContent = kubecopilotPlugin.provide(
  createComponentExtension({
    name: 'EntityKubecopilotMetricsContent',
    component: {
      lazy: () =>
        import('./components/EntityMetricsContent').then(
          m => m.EntityMetricsContent,
        ),
    },
  }),
);

/**
 * The "YAML" entity tab: each workload's manifest, checked against
 * well-known best practices, explained, and editable into a plan.
 *
 * @public
 */
export const EntityKubecopilotManifestContent = kubecopilotPlugin.provide(
  createComponentExtension({
    name: 'EntityKubecopilotManifestContent',
    component: {
      lazy: () =>
        import('./components/EntityManifestContent').then(
          m => m.EntityManifestContent,
        ),
    },
  }),
);

/**
 * The approval inbox page; mount it at `/kubecopilot/inbox`.
 *
 * @public
 */
export const KubecopilotInboxPage = kubecopilotPlugin.provide(
  createRoutableExtension({
    name: 'KubecopilotInboxPage',
    component: () => import('./components/InboxPage').then(m => m.InboxPage),
    mountPoint: inboxRouteRef,
  }),
);

/**
 * The "Postmortems" entity tab: drafts made by rules from KubeCopilot's
 * records of a time window, edited as new versions, exported as Markdown.
 *
 * @public
 */
export const EntityKubecopilotPostmortemsContent = kubecopilotPlugin.provide(
  createComponentExtension({
    name: 'EntityKubecopilotPostmortemsContent',
    component: {
      lazy: () =>
        import('./components/EntityPostmortemsContent').then(
          m => m.EntityPostmortemsContent,
        ),
    },
  }),
);

/**
 * Open findings of the findings scan across the portal; mount it at
 * `/kubecopilot/findings`.
 *
 * @public
 */
export const KubecopilotFindingsPage = kubecopilotPlugin.provide(
  createRoutableExtension({
    name: 'KubecopilotFindingsPage',
    component: () =>
      import('./components/FindingsPage').then(m => m.FindingsPage),
    mountPoint: findingsRouteRef,
  }),
);

/**
 * The KubeCopilot home: services with open problems first, plans waiting
 * for a decision, recent plans. Mount it at `/` so sign-in lands there.
 *
 * @public
 */
export const KubecopilotHomePage = kubecopilotPlugin.provide(
  createRoutableExtension({
    name: 'KubecopilotHomePage',
    component: () => import('./components/HomePage').then(m => m.HomePage),
    mountPoint: homeRouteRef,
  }),
);

/**
 * The entity Overview card: its workloads at a glance, with the way to the
 * "AI Diagnose" tab. Put it in the overview grid, guarded by
 * `isKubecopilotAvailable`.
 *
 * @public
 */
export const EntityKubecopilotSummaryCard = kubecopilotPlugin.provide(
  createComponentExtension({
    name: 'EntityKubecopilotSummaryCard',
    component: {
      lazy: () =>
        import('./components/EntitySummaryCard').then(m => m.EntitySummaryCard),
    },
  }),
);

/**
 * The scaffolder field `KubecopilotDeploymentPicker` (`ui:field`): the
 * Deployments of the entity chosen earlier in the form (`ui:options.entityField`,
 * `entity` by default), with namespace, cluster, ready count and image. Put it
 * in the app's `<ScaffolderFieldExtensions>`.
 *
 * @public
 */
export const KubecopilotDeploymentPickerFieldExtension =
  kubecopilotPlugin.provide(
    createScaffolderFieldExtension({
      name: 'KubecopilotDeploymentPicker',
      component: DeploymentPickerField,
      validation: deploymentPickerValidation,
    }),
  );
