import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import kubecopilotPlugin from '@kubecopilot/backstage-plugin-kubecopilot/alpha';
import { signInModule } from './modules/signIn';

/** The app's features; exported for tests. */
export const features = [
  catalogPlugin,
  kubernetesPlugin,
  scaffolderPlugin,
  notificationsPlugin,
  signalsPlugin,
  userSettingsPlugin,
  // Sign-in lands on `/`: make it the KubeCopilot home (the plugin mounts
  // it at /kubecopilot, as a plugin should not claim `/` by itself).
  kubecopilotPlugin.withOverrides({
    extensions: [
      kubecopilotPlugin.getExtension('page:kubecopilot/home').override({
        factory: originalFactory => originalFactory({ params: { path: '/' } }),
      }),
    ],
  }),
  signInModule,
];

export default createApp({ features });
