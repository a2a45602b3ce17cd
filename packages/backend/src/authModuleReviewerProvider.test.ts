import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import reviewerProviderModule from './authModuleReviewerProvider';

async function registeredProviders(config: object) {
  const registerProvider = jest.fn();
  await startTestBackend({
    extensionPoints: [[authProvidersExtensionPoint, { registerProvider }]],
    features: [
      reviewerProviderModule,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return registerProvider.mock.calls.map(([provider]) => provider.providerId);
}

describe('demo reviewer sign-in provider', () => {
  it('is offered only when auth.providers.reviewer is configured', async () => {
    await expect(registeredProviders({})).resolves.toEqual([]);
    await expect(
      registeredProviders({
        auth: {
          providers: { reviewer: { userEntityRef: 'user:default/reviewer' } },
        },
      }),
    ).resolves.toEqual(['reviewer']);
  });
});
