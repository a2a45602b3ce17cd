import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  kubecopilotAnalyzersExtensionPoint,
  kubecopilotContextProvidersExtensionPoint,
  kubecopilotRiskRulesExtensionPoint,
  ModuleExtensions,
} from './extensions';
import { createCore } from './wiring/core';
import { pluginDeps } from './wiring/deps';
import { createFeatures } from './wiring/features';
import { createHttpRouter } from './wiring/routes';

/**
 * The KubeCopilot backend plugin. It only wires: the core services
 * (`wiring/core.ts`), the features on them (`wiring/features.ts`) and the
 * HTTP API (`wiring/routes.ts`).
 *
 * @public
 */
export const kubecopilotPlugin = createBackendPlugin({
  pluginId: 'kubecopilot',
  register(env) {
    // Backend modules add analyzers, risk rules and context providers here;
    // none of them can add a write action.
    const extensions = new ModuleExtensions();
    env.registerExtensionPoint(
      kubecopilotAnalyzersExtensionPoint,
      extensions.analyzerPoint,
    );
    env.registerExtensionPoint(
      kubecopilotRiskRulesExtensionPoint,
      extensions.riskRulePoint,
    );
    env.registerExtensionPoint(
      kubecopilotContextProvidersExtensionPoint,
      extensions.contextProviderPoint,
    );
    env.registerInit({
      deps: pluginDeps,
      async init(deps) {
        extensions.close();
        const core = await createCore(deps, extensions);
        const features = await createFeatures(core);
        deps.httpRouter.use(await createHttpRouter(core, features));
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
