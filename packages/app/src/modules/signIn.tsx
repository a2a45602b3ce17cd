import {
  configApiRef,
  createFrontendModule,
  useApi,
} from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/** Remembers, for this browser tab, that the demo reviewer signed in. */
const REVIEWER_KEY = 'kubecopilot-demo-sign-in';

/**
 * The demo signs in with the guest provider, or, from the link at the bottom
 * of the page, as the demo reviewer (`user:default/reviewer`, group sre) to
 * approve what guest requested. Both are demo-only backend providers that
 * exist only with app-config.demo.yaml, which is also the only file that sets
 * `auth.environment: development` (the one auth setting the frontend can
 * see), so without it the page offers neither and says why instead of
 * failing on a provider the backend does not have. To use a real provider,
 * list it here (e.g. `githubAuthApiRef`) and configure it under
 * `auth.providers`.
 */
export const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => {
      const { EmptyState, SignInPage, ProxiedSignInPage } = await import(
        '@backstage/core-components'
      );
      return props => {
        const config = useApi(configApiRef);
        if (config.getOptionalString('auth.environment') !== 'development') {
          return (
            <EmptyState
              missing="info"
              title="No sign-in is configured"
              description="This deployment has no sign-in provider. The demo's Guest and reviewer sign-in exist only with app-config.demo.yaml; see the README's Sign-in section to configure a real provider."
            />
          );
        }
        const asked =
          new URLSearchParams(window.location.search).get('signInAs') ===
          'reviewer';
        if (asked) {
          window.sessionStorage.setItem(REVIEWER_KEY, 'reviewer');
        }
        if (window.sessionStorage.getItem(REVIEWER_KEY) === 'reviewer') {
          return <ProxiedSignInPage {...props} provider="reviewer" />;
        }
        return (
          <>
            <SignInPage
              {...props}
              title="KubeCopilot demo"
              align="center"
              providers={['guest']}
            />
            <div
              style={{
                position: 'fixed',
                bottom: 24,
                width: '100%',
                textAlign: 'center',
              }}
            >
              {/* A full reload, so the reviewer's sign-in starts afresh. */}
              <a href="?signInAs=reviewer">
                Sign in as the demo reviewer (group sre) instead
              </a>
            </div>
          </>
        );
      };
    },
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
