import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createKubecopilotPlanAction } from './actions/createPlan';
import { createKubecopilotCanaryPlanAction } from './actions/createCanaryPlan';
import { createKubecopilotBlueGreenPlanAction } from './actions/createBlueGreenPlan';

/**
 * Registers KubeCopilot's scaffolder actions.
 *
 * @public
 */
export const scaffolderModuleKubecopilot = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'kubecopilot',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        scaffolder.addActions(
          createKubecopilotPlanAction({ discovery, auth }),
          createKubecopilotCanaryPlanAction({ discovery, auth }),
          createKubecopilotBlueGreenPlanAction({ discovery, auth }),
        );
      },
    });
  },
});
