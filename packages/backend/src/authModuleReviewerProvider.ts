/*
 * A second demo identity, `user:default/reviewer` (a member of group sre), so
 * the demo and the end-to-end test can show one person requesting a plan and
 * another approving it. Guest-like: anyone who can reach the backend may sign
 * in as it, so it is registered only when `auth.providers.reviewer` is
 * configured, and only in development unless
 * `dangerouslyAllowOutsideDevelopment` is set. Never configure it in
 * production.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

const reviewerAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize({ config }) {
    const allowOutsideDev = config.getOptionalBoolean(
      'dangerouslyAllowOutsideDevelopment',
    );
    return {
      disabled: process.env.NODE_ENV !== 'development' && !allowOutsideDev,
    };
  },
  async authenticate(_, { disabled }) {
    if (disabled) {
      throw new NotAllowedError(
        "The demo reviewer sign-in is for development only; set 'auth.providers.reviewer.dangerouslyAllowOutsideDevelopment' to use it elsewhere",
      );
    }
    return { result: {} };
  },
});

export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-reviewer-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        const settings = config.getOptionalConfig('auth.providers.reviewer');
        if (!settings) {
          return;
        }
        const userEntityRef =
          settings.getOptionalString('userEntityRef') ??
          'user:default/reviewer';
        providers.registerProvider({
          providerId: 'reviewer',
          factory: createProxyAuthProviderFactory({
            authenticator: reviewerAuthenticator,
            signInResolver: async (_, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: userEntityRef }),
          }),
        });
      },
    });
  },
});
