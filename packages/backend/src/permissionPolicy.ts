/*
 * KubeCopilot's example permission policy. Copy it into your backend and
 * adapt: everything not named here is allowed, as in a fresh Backstage.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { KubecopilotExamplePolicy } from './KubecopilotExamplePolicy';

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'kubecopilot-example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new KubecopilotExamplePolicy());
      },
    });
  },
});
