import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { Route, Routes } from 'react-router-dom';
import { kubecopilotApiRef } from './api';
import {
  EntityKubecopilotDiagnoseContent,
  EntityKubecopilotPlansContent,
  KubecopilotDeploymentPickerFieldExtension,
  KubecopilotInboxPage,
  kubecopilotPlugin,
} from './plugin';
import {
  DeploymentPickerField,
  deploymentPickerValidation,
} from './components/DeploymentPickerField';
import { inboxRouteRef } from './routes';
import { kubecopilotMetricsApiRef } from './api/MetricsClient';
import {
  checkoutEntity,
  mockKubecopilotApi,
  plan,
  workloadsResponse,
} from './__testUtils__/fixtures';

describe('legacy frontend system exports', () => {
  it('registers the plugin with its API and inbox route', () => {
    expect(kubecopilotPlugin.getId()).toBe('kubecopilot');
    expect(Array.from(kubecopilotPlugin.getApis(), api => api.api.id)).toEqual([
      kubecopilotApiRef.id,
      kubecopilotMetricsApiRef.id,
    ]);
    expect(kubecopilotPlugin.routes.inbox).toBe(inboxRouteRef);
  });

  it('renders the entity tabs and the inbox page as extensions', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(workloadsResponse());
    api.listPlans.mockResolvedValue({ items: [plan()] });

    await renderInTestApp(
      <TestApiProvider apis={[[kubecopilotApiRef, api]]}>
        <EntityProvider entity={checkoutEntity}>
          <EntityKubecopilotDiagnoseContent />
          <EntityKubecopilotPlansContent />
        </EntityProvider>
        <Routes>
          <Route path="/*" element={<KubecopilotInboxPage />} />
        </Routes>
      </TestApiProvider>,
      {
        mountedRoutes: {
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );

    expect(await screen.findByText('CrashLoopBackOff')).toBeInTheDocument();
    expect(await screen.findByText('Operation plans')).toBeInTheDocument();
    expect(await screen.findByText('Approval inbox')).toBeInTheDocument();
  });

  it('offers the scaffolder field KubecopilotDeploymentPicker to <ScaffolderFieldExtensions>', async () => {
    // As the legacy scaffolder page reads its outlet.
    const found = jest.fn();
    const Page = () => {
      found(
        useCustomFieldExtensions(
          <ScaffolderFieldExtensions>
            <KubecopilotDeploymentPickerFieldExtension />
          </ScaffolderFieldExtensions>,
        ),
      );
      return null;
    };
    await renderInTestApp(<Page />);
    expect(found).toHaveBeenLastCalledWith([
      expect.objectContaining({
        name: 'KubecopilotDeploymentPicker',
        component: DeploymentPickerField,
        validation: deploymentPickerValidation,
      }),
    ]);
  });
});
