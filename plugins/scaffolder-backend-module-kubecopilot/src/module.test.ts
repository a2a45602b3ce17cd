import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import scaffolderModuleKubecopilot from './index';

describe('scaffolderModuleKubecopilot', () => {
  it('registers its actions with the scaffolder', async () => {
    const registered: TemplateAction<any, any, any>[] = [];
    // Stands in for the scaffolder backend: owns the extension point.
    const scaffolder = createBackendPlugin({
      pluginId: 'scaffolder',
      register(env) {
        env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
          addActions: (...actions: TemplateAction<any, any, any>[]) =>
            registered.push(...actions),
        } as any);
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    await startTestBackend({
      features: [scaffolder, scaffolderModuleKubecopilot, mockServices.rootConfig.factory()],
    });
    expect(registered.map(a => a.id)).toEqual([
      'kubecopilot:plan:create',
      'kubecopilot:plan:create-canary',
      'kubecopilot:plan:create-blue-green',
    ]);
    expect(registered.every(a => a.supportsDryRun)).toBe(true);
  });
});
