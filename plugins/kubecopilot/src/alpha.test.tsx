import {
  coreExtensionData,
  translationApiRef,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
} from '@backstage/frontend-test-utils';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import plugin from './alpha';
import {
  DeploymentPickerField,
  deploymentPickerValidation,
} from './components/DeploymentPickerField';
import { checkoutEntity } from './__testUtils__/fixtures';
import { translationApiFor } from './__testUtils__/translationApi';

// Tab and page titles come from the translation ref, in the user's language.
const apis = [[translationApiRef, mockApis.translation()]] as const;

const unannotated = {
  ...checkoutEntity,
  metadata: { name: 'docs-site', namespace: 'default' },
};

describe('kubecopilot frontend plugin (new frontend system)', () => {
  it('adds an "AI Diagnose" tab to entities that run on Kubernetes', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:kubecopilot/diagnose'),
      { apis },
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'AI Diagnose',
    );
    expect(tester.get(coreExtensionData.routePath)).toBe(
      'kubecopilot-diagnose',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(checkoutEntity)).toBe(true);
    expect(filter(unannotated)).toBe(false);
  });

  it('adds an "Operation Plans" tab to the same entities', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:kubecopilot/plans'),
      { apis },
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Operation Plans',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(checkoutEntity)).toBe(true);
    expect(filter(unannotated)).toBe(false);
  });

  it('mounts the approval inbox as a titled page with an icon, so it shows in the sidebar', () => {
    const tester = createExtensionTester(
      plugin.getExtension('page:kubecopilot/inbox'),
      { apis },
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/kubecopilot/inbox');
    expect(tester.get(coreExtensionData.title)).toBe('Approval inbox');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
  });

  it('adds a "Postmortems" tab to entities that run on Kubernetes', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:kubecopilot/postmortems'),
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Postmortems',
    );
    expect(tester.get(coreExtensionData.routePath)).toBe(
      'kubecopilot-postmortems',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(checkoutEntity)).toBe(true);
    expect(filter(unannotated)).toBe(false);
  });

  it('mounts the findings as a titled page with an icon, so it shows in the sidebar', () => {
    const tester = createExtensionTester(
      plugin.getExtension('page:kubecopilot/findings'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe(
      '/kubecopilot/findings',
    );
    expect(tester.get(coreExtensionData.title)).toBe('Findings');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
  });

  it('adds the summary card to the Overview of entities that run on Kubernetes', () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-card:kubecopilot/summary'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(checkoutEntity)).toBe(true);
    expect(filter(unannotated)).toBe(false);
  });

  it('mounts the home as a titled page at /kubecopilot, which an app can move to /', () => {
    const tester = createExtensionTester(
      plugin.getExtension('page:kubecopilot/home'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/kubecopilot');
    expect(tester.get(coreExtensionData.title)).toBe('KubeCopilot');
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();

    const moved = createExtensionTester(
      plugin.getExtension('page:kubecopilot/home').override({
        factory: originalFactory => originalFactory({ params: { path: '/' } }),
      }),
    );
    expect(moved.get(coreExtensionData.routePath)).toBe('/');
  });

  it('titles the tabs in the user’s language', async () => {
    const tester = createExtensionTester(
      plugin.getExtension('entity-content:kubecopilot/diagnose'),
      { apis: [[translationApiRef, await translationApiFor('zh-CN')]] },
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('AI 诊断');
  });

  it('gives the scaffolder the field KubecopilotDeploymentPicker, loaded on demand', async () => {
    const extension = plugin.getExtension(
      'scaffolder-form-field:kubecopilot/deployment-picker',
    );
    // Where the scaffolder plugin's form-fields API collects fields.
    expect(extension.toString()).toContain('api:scaffolder/form-fields');
    const loader = createExtensionTester(extension).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    expect(await loader()).toMatchObject({
      name: 'KubecopilotDeploymentPicker',
      component: DeploymentPickerField,
      validation: deploymentPickerValidation,
    });
  });
});
