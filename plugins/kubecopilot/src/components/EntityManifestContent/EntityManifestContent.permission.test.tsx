import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  ManifestCheckResponse,
  WorkloadManifestsResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { kubecopilotApiRef } from '../../api';
import {
  checkoutEntity,
  mockKubecopilotApi,
} from '../../__testUtils__/fixtures';
import { EntityManifestContent } from './EntityManifestContent';

// jsdom has no layout: CodeMirror measures text ranges, which jsdom lacks.
beforeAll(() => {
  const rect = {
    x: 0,
    y: 0,
    top: 0,
    left: 0,
    bottom: 0,
    right: 0,
    width: 0,
    height: 0,
    toJSON: () => ({}),
  };
  Range.prototype.getBoundingClientRect = () => rect as DOMRect;
  Range.prototype.getClientRects = () =>
    ({
      length: 0,
      item: () => null,
      [Symbol.iterator]: [][Symbol.iterator],
    } as unknown as DOMRectList);
});

jest.setTimeout(20_000);

// As GET /yaml/manifests returns the demo's checkout Deployment.
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: checkout
          image: ghcr.io/kubecopilot-demo/checkout:2.3.1
          resources:
            limits:
              memory: 256Mi
            requests:
              cpu: 100m
              memory: 128Mi
`;

const RESOURCE = {
  cluster: 'demo',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'checkout',
};

const manifests: WorkloadManifestsResponse = {
  entityRef: 'component:default/checkout',
  items: [{ resource: RESOURCE, manifest: MANIFEST }],
  errors: [],
};

const CPU_LIMIT = 'spec.template.spec.containers[0].resources.limits.cpu';
const checks: ManifestCheckResponse = {
  resource: RESOURCE,
  checks: [
    {
      id: 'probe-readiness-missing',
      severity: 'warning',
      path: 'spec.template.spec.containers[0].readinessProbe',
      message:
        'Container checkout has no readiness probe, so it gets traffic the moment it starts.',
      fix: 'Add a readinessProbe on a cheap endpoint.',
      source: 'kube-score: pod-probes',
    },
    {
      id: 'resources-cpu-limit-missing',
      severity: 'info',
      path: CPU_LIMIT,
      message: 'Container checkout has no CPU limit.',
      fix: 'Set resources.limits.cpu — twice the request (200m).',
      source: 'kube-score: container-resources · Polaris: cpuLimitsMissing',
      suggestion: { path: CPU_LIMIT, value: '200m' },
    },
  ],
  explanation: [
    {
      topic: 'resources',
      path: 'spec.template.spec.containers[0].resources',
      text: 'Above 256Mi of memory the kernel kills it (OOMKilled).',
    },
  ],
  warnings: [],
};

function Where() {
  const location = useLocation();
  return (
    <div data-testid="location">{`${location.pathname}${location.search}`}</div>
  );
}

async function render(options: { allowPlans?: boolean } = {}) {
  const api = mockKubecopilotApi();
  api.getManifests.mockResolvedValue(manifests);
  api.checkManifest.mockResolvedValue(checks);
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({
            authorize:
              options.allowPlans === false
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      <EntityProvider entity={checkoutEntity}>
        <Routes>
          <Route
            path="/catalog/default/component/checkout/kubecopilot-yaml"
            element={<EntityManifestContent />}
          />
          <Route path="*" element={<Where />} />
        </Routes>
      </EntityProvider>
    </TestApiProvider>,
    { routeEntries: ['/catalog/default/component/checkout/kubecopilot-yaml'] },
  );
  await screen.findByText(/no readiness probe/);
  return api;
}

// Its own file: usePermission caches answers per module (SWR), so a denial
// after other tests' "allowed" renders would show their answer first.
describe('EntityManifestContent without kubecopilot.plan.create', () => {
  it('disables plans and suggested fixes without kubecopilot.plan.create, but still allows checking an edit', async () => {
    await render({ allowPlans: false });
    // usePermission caches answers across renders (SWR): the earlier tests'
    // "allowed" shows first, until the revalidation brings this test's denial.
    await waitFor(
      () =>
        expect(
          screen.getByRole('button', { name: 'Apply suggested fix (200m)' }),
        ).toBeDisabled(),
      { timeout: 15_000 },
    );
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    expect(screen.getByRole('button', { name: 'Create plan' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Check again' })).toBeEnabled();
    expect(
      screen.getByText(
        /not allowed to create plans \(permission kubecopilot.plan.create\)/,
      ),
    ).toBeInTheDocument();
  }, 30_000);
});
