/*
 * A second demo identity, `user:default/reviewer` (a member of group sre), so
 * the demo and the end-to-end test can show one person requesting a plan and
 * another approving it. Guest-like: anyone who can reach the backend may sign
 * in as it and approve high-risk plans. So it is registered only when
 * `auth.providers.reviewer` is configured (app-config.demo.yaml), and it
 * stops the backend from starting anywhere but development: unlike the guest
 * provider there is no `dangerouslyAllowOutsideDevelopment` escape hatch,
 * because a misconfigured production would hand out the approver group.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

const reviewerAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize() {},
  async authenticate() {
    return { result: {} };
  },
});

/**
 * Throws unless both NODE_ENV and `auth.environment` say development. Both,
 * because a production deployment may set either one (a container image sets
 * NODE_ENV=production; an app-config may set auth.environment: production).
 */
export function assertDevelopment(config: Config): void {
  const nodeEnv = process.env.NODE_ENV ?? '(unset)';
  const authEnvironment =
    config.getOptionalString('auth.environment') ?? 'development';
  if (nodeEnv !== 'development' || authEnvironment !== 'development') {
    throw new Error(
      `The demo reviewer sign-in (auth.providers.reviewer) is configured, but this backend does not run in development ` +
        `(NODE_ENV=${nodeEnv}, auth.environment=${authEnvironment}). It would let anyone who reaches the backend ` +
        `sign in as a member of group sre and approve any plan, so the backend refuses to start. ` +
        `Remove auth.providers.reviewer (it belongs in app-config.demo.yaml only); see README "Sign-in".`,
    );
  }
}

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
        assertDevelopment(config);
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
