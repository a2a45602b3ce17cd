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

const reviewer = {
  auth: { providers: { reviewer: { userEntityRef: 'user:default/reviewer' } } },
};

describe('demo reviewer sign-in provider', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('is offered in development only when auth.providers.reviewer is configured', async () => {
    process.env.NODE_ENV = 'development';
    await expect(registeredProviders({})).resolves.toEqual([]);
    await expect(registeredProviders(reviewer)).resolves.toEqual(['reviewer']);
  });

  it('stops the backend from starting when NODE_ENV is production', async () => {
    process.env.NODE_ENV = 'production';
    await expect(registeredProviders(reviewer)).rejects.toThrow(
      /demo reviewer sign-in \(auth.providers.reviewer\) is configured, but this backend does not run in development \(NODE_ENV=production/,
    );
  });

  it('stops the backend from starting when auth.environment is production', async () => {
    process.env.NODE_ENV = 'development';
    await expect(
      registeredProviders({
        auth: { ...reviewer.auth, environment: 'production' },
      }),
    ).rejects.toThrow(/auth.environment=production/);
  });

  it('has no escape hatch: dangerouslyAllowOutsideDevelopment is not honoured', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      registeredProviders({
        auth: {
          providers: {
            reviewer: {
              userEntityRef: 'user:default/reviewer',
              dangerouslyAllowOutsideDevelopment: true,
            },
          },
        },
      }),
    ).rejects.toThrow(/refuses to start/);
  });

  it('stays out of the way of a production backend that does not configure it', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      registeredProviders({ auth: { environment: 'production' } }),
    ).resolves.toEqual([]);
  });
});
