/*
 * Installs KubeCopilot's example permission policy. Copy
 * KubecopilotExamplePolicy.ts into your backend and adapt it.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { KubecopilotExamplePolicy } from './KubecopilotExamplePolicy';

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'kubecopilot-example-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(
          new KubecopilotExamplePolicy({
            highRiskGroup:
              config.getOptionalString('kubecopilot.examplePolicy.highRiskGroup') ??
              'group:default/sre',
            getUserInfo: user => userInfo.getUserInfo(user.credentials),
          }),
        );
      },
    });
  },
});
