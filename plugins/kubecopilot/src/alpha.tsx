import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import InboxIcon from '@material-ui/icons/Inbox';
import HomeIcon from '@material-ui/icons/Home';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import {
  KubecopilotClient,
  kubecopilotApiRef,
  kubernetesAuthProvidersApiRef,
} from './api';
import {
  KubecopilotMetricsClient,
  kubecopilotMetricsApiRef,
} from './api/MetricsClient';
import { isKubecopilotAvailable } from './isKubecopilotAvailable';
import { findingsRouteRef, homeRouteRef, inboxRouteRef } from './routes';
import { kubecopilotTranslationRef } from './translation';

const kubecopilotApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
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
});

const kubecopilotMetricsApi = ApiBlueprint.make({
  name: 'metrics',
  params: defineParams =>
    defineParams({
      api: kubecopilotMetricsApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        kubernetesAuthProvidersApi: kubernetesAuthProvidersApiRef,
      },
      factory: deps => new KubecopilotMetricsClient(deps),
    }),
});

const entityMetricsContent = EntityContentBlueprint.make({
  name: 'metrics',
  params: {
    path: 'kubecopilot-metrics',
    title: 'Metrics & SLOs',
    filter: isKubecopilotAvailable,
    loader: () =>
      import('./components/EntityMetricsContent').then(m => (
        <m.EntityMetricsContent />
      )),
  },
});

const entityDiagnoseContent = EntityContentBlueprint.make({
  name: 'diagnose',
  params: {
    path: 'kubecopilot-diagnose',
    title: kubecopilotTranslationRef('pages.diagnoseTab'),
    filter: isKubecopilotAvailable,
    loader: () =>
      import('./components/EntityDiagnoseContent').then(m => (
        <m.EntityDiagnoseContent />
      )),
  },
});

const entityManifestContent = EntityContentBlueprint.make({
  name: 'yaml',
  params: {
    path: 'kubecopilot-yaml',
    title: 'YAML',
    filter: isKubecopilotAvailable,
    loader: () =>
      import('./components/EntityManifestContent').then(m => (
        <m.EntityManifestContent />
      )),
  },
});

// Postmortem drafts of the entity: made by rules, edited by people.
const entityPostmortemsContent = EntityContentBlueprint.make({
  name: 'postmortems',
  params: {
    path: 'kubecopilot-postmortems',
    title: 'Postmortems',
    filter: isKubecopilotAvailable,
    loader: () =>
      import('./components/EntityPostmortemsContent').then(m => (
        <m.EntityPostmortemsContent />
      )),
  },
});

const entityPlansContent = EntityContentBlueprint.make({
  name: 'plans',
  params: {
    path: 'kubecopilot-plans',
    title: kubecopilotTranslationRef('pages.plansTab'),
    filter: isKubecopilotAvailable,
    loader: () =>
      import('./components/EntityPlansContent').then(m => (
        <m.EntityPlansContent />
      )),
  },
});

// A page with a title and an icon is what the app's sidebar lists, so this
// is also the "Approval inbox" nav item.
const inboxPage = PageBlueprint.make({
  name: 'inbox',
  params: {
    path: '/kubecopilot/inbox',
    title: kubecopilotTranslationRef('pages.inbox'),
    icon: <InboxIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(inboxRouteRef),
    loader: () =>
      import('./components/InboxPage').then(m => <m.InboxPageContent />),
  },
});

// Open findings of the findings scan across the portal; a sidebar item too.
const findingsPage = PageBlueprint.make({
  name: 'findings',
  params: {
    path: '/kubecopilot/findings',
    title: 'Findings',
    icon: <ReportProblemIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(findingsRouteRef),
    loader: () =>
      import('./components/FindingsPage').then(m => <m.FindingsPageContent />),
  },
});

// On the entity's Overview page: the workloads at a glance, inviting to the
// "AI Diagnose" tab.
const entitySummaryCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: isKubecopilotAvailable,
    loader: () =>
      import('./components/EntitySummaryCard').then(m => (
        <m.EntitySummaryCard />
      )),
  },
});

// A plugin should not claim `/` on its own: the home is at /kubecopilot and
// an app that wants to land there moves it (the demo app does, in App.tsx),
// or sets `app.extensions: [{ 'page:kubecopilot/home': { config: { path: / } } }]`.
const homePage = PageBlueprint.make({
  name: 'home',
  params: {
    path: '/kubecopilot',
    title: 'KubeCopilot',
    icon: <HomeIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(homeRouteRef),
    loader: () =>
      import('./components/HomePage').then(m => <m.HomePageContent />),
  },
});

// The scaffolder field `KubecopilotDeploymentPicker`: it attaches to the
// scaffolder plugin's form-fields API, so templates can use it wherever the
// scaffolder is installed.
const deploymentPickerField = FormFieldBlueprint.make({
  name: 'deployment-picker',
  params: {
    field: () =>
      import('./components/DeploymentPickerField/formField').then(
        m => m.deploymentPickerFormField,
      ),
  },
});

/**
 * KubeCopilot for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'kubecopilot',
  title: 'KubeCopilot',
  info: { packageJson: () => import('../package.json') },
  routes: {
    home: convertLegacyRouteRef(homeRouteRef),
    inbox: convertLegacyRouteRef(inboxRouteRef),
    findings: convertLegacyRouteRef(findingsRouteRef),
  },
  extensions: [
    kubecopilotApi,
    kubecopilotMetricsApi,
    entityDiagnoseContent,
    entityMetricsContent,
    entityPlansContent,
    entityPostmortemsContent,
    entityManifestContent,
    entitySummaryCard,
    homePage,
    inboxPage,
    findingsPage,
    deploymentPickerField,
  ],
});
