import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import path from 'node:path';
import demoSignInProviders from './demoSignInProviders';

// Tests run from source, where __dirname is src/.
// eslint-disable-next-line no-restricted-syntax
const repoRoot = path.resolve(__dirname, '../../..');

/**
 * Boots the sign-in providers on the repository's own configuration files,
 * read by the same config loader `node packages/backend --config …` uses.
 */
async function providersFor(configFiles: string[]) {
  const registerProvider = jest.fn();
  // The test backend cannot see through a feature loader to tell which plugin
  // an extension point belongs to, so a stand-in auth plugin provides it.
  const authPlugin = createBackendPlugin({
    pluginId: 'auth',
    register(reg) {
      reg.registerExtensionPoint(authProvidersExtensionPoint, {
        registerProvider,
      });
      reg.registerInit({ deps: {}, async init() {} });
    },
  });
  const backend = await startTestBackend({
    features: [
      authPlugin,
      demoSignInProviders,
      rootConfigServiceFactory({
        argv: configFiles.flatMap(file => [
          '--config',
          path.join(repoRoot, file),
        ]),
        watch: false,
      }),
    ],
  });
  await backend.stop();
  return registerProvider.mock.calls
    .map(([provider]) => provider.providerId)
    .sort();
}

describe('demo sign-in providers on the repository configuration', () => {
  const nodeEnv = process.env.NODE_ENV;
  let log: jest.SpyInstance;
  beforeEach(() => {
    // The config loader announces the files it reads.
    log = jest.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
    log.mockRestore();
  });

  it('offers no sign-in provider with the production command, even under NODE_ENV=production', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      providersFor(['app-config.yaml', 'app-config.production.yaml']),
    ).resolves.toEqual([]);
  });

  it('offers guest and the reviewer in the demo', async () => {
    process.env.NODE_ENV = 'development';
    await expect(
      providersFor(['app-config.yaml', 'app-config.demo.yaml']),
    ).resolves.toEqual(['guest', 'reviewer']);
  });

  it('refuses to start when the demo file is loaded in production', async () => {
    process.env.NODE_ENV = 'production';
    await expect(
      providersFor([
        'app-config.yaml',
        'app-config.production.yaml',
        'app-config.demo.yaml',
      ]),
    ).rejects.toThrow(/refuses to start/);
  });
});
