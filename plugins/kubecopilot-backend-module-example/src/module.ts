import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  kubecopilotAnalyzersExtensionPoint,
  kubecopilotContextProvidersExtensionPoint,
  kubecopilotRiskRulesExtensionPoint,
} from '@kubecopilot/backstage-plugin-kubecopilot-backend';
import {
  createCertificateAnalyzer,
  createTlsSecretsProvider,
} from './certificates';
import { createChangeFreezeRule } from './changeFreeze';
import { readExampleConfig } from './config';

/**
 * The worked example of extending KubeCopilot: a context provider that reads
 * the metadata of the TLS Secrets an entity uses, an analyzer that reports
 * certificates about to expire, and a change-freeze risk rule.
 *
 * @public
 */
export const kubecopilotModuleExample = createBackendModule({
  pluginId: 'kubecopilot',
  moduleId: 'example',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        analyzers: kubecopilotAnalyzersExtensionPoint,
        riskRules: kubecopilotRiskRulesExtensionPoint,
        contextProviders: kubecopilotContextProvidersExtensionPoint,
      },
      async init({ config, analyzers, riskRules, contextProviders }) {
        const options = readExampleConfig(config);
        contextProviders.addContextProvider(createTlsSecretsProvider(options));
        analyzers.addAnalyzer(createCertificateAnalyzer(options));
        riskRules.addRiskRule(createChangeFreezeRule(options));
      },
    });
  },
});
