import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { Route, Routes, useLocation } from 'react-router-dom';
import { kubecopilotApiRef } from '../../../api';
import { mockKubecopilotApi } from '../../../__testUtils__/fixtures';
import { DiagnosisCard } from '../DiagnosisCard';
import { diagnosis } from './diagnoses';

/** Renders the card on the Diagnose tab, with the Plans tab beside it. */
const ENTITY_PATH = '/catalog/default/component/checkout';

export function PlansTab() {
  const location = useLocation();
  return <div data-testid="plans-tab">{location.search}</div>;
}

export function renderCard(
  api: ReturnType<typeof mockKubecopilotApi>,
  // The enum lives in @backstage/plugin-permission-common, which this plugin
  // does not depend on; 'DENY' is its value.
  authorize: 'ALLOW' | 'DENY' = 'ALLOW',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: authorize as any }),
        ],
      ]}
    >
      <Routes>
        <Route
          path={`${ENTITY_PATH}/kubecopilot-diagnose`}
          element={<DiagnosisCard entityRef="component:default/checkout" />}
        />
        <Route
          path={`${ENTITY_PATH}/kubecopilot-plans`}
          element={<PlansTab />}
        />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [`${ENTITY_PATH}/kubecopilot-diagnose`] },
  );
}

export function withHistory(...items: ReturnType<typeof diagnosis>[]) {
  const api = mockKubecopilotApi();
  api.listDiagnoses.mockResolvedValue({ items });
  return api;
}
