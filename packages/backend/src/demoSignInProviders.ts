/*
 * The demo's sign-in providers, added only when configured. The guest module
 * reads `auth.providers.guest` unconditionally and would stop a backend
 * without it from starting, so a production configuration (which has no
 * guest) could not run if the module were always added. The reviewer module
 * checks its own configuration and refuses production.
 */
import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import reviewerProvider from './authModuleReviewerProvider';

export default createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.has('auth.providers.guest')) {
      yield guestProvider;
    }
    yield reviewerProvider;
  },
});
