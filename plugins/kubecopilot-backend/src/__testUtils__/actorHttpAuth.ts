import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

/**
 * The test backend's HTTP auth, anonymous without a token. One gap of the
 * mock closed: a real on-behalf-of token names the calling plugin as the
 * actor (which is what lets a plugin ask the permission backend for
 * conditions, and what an MCP call is told apart by); the mock's loses it.
 * Reads the `sub` and `obo` of a `mock-service-token:{json}` token.
 */
export const actorHttpAuthFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({
      pluginId: plugin.getId(),
      defaultCredentials: mockCredentials.none(),
    });
    return {
      async credentials(req, options) {
        const credentials = await inner.credentials(req, options);
        const token = /^Bearer mock-service-token:(.*)$/.exec(
          req.headers.authorization ?? '',
        )?.[1];
        const { sub, obo } = token ? JSON.parse(token) : ({} as any);
        return (
          obo
            ? mockCredentials.user(obo, { actor: { subject: sub } })
            : credentials
        ) as typeof credentials;
      },
      issueUserCookie: (res, options) => inner.issueUserCookie(res, options),
    };
  },
});
