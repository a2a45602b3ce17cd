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
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useLocation } from 'react-router-dom';
import { kubecopilotApiRef } from '../../api';
import {
  checkoutEntity,
  mockKubecopilotApi,
  plan,
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

async function render(
  options: { allowPlans?: boolean; checks?: ManifestCheckResponse } = {},
) {
  const api = mockKubecopilotApi();
  api.getManifests.mockResolvedValue(manifests);
  api.checkManifest.mockResolvedValue(options.checks ?? checks);
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

const editorText = () =>
  screen.getByTestId('manifest-editor').querySelector('.cm-content')!
    .textContent;

describe('EntityManifestContent', () => {
  it('shows the live manifest read-only, with the checks of the live object', async () => {
    const api = await render();
    expect(api.checkManifest).toHaveBeenCalledWith({
      entityRef: 'component:default/checkout',
      resource: RESOURCE,
    });
    expect(screen.getByText('Deployment checkout')).toBeInTheDocument();
    expect(editorText()).toContain(
      'image: ghcr.io/kubecopilot-demo/checkout:2.3.1',
    );
    const editor = screen.getByTestId('manifest-editor');
    expect(editor).toHaveAttribute('data-editing', 'false');
    expect(editor.querySelector('.cm-content')).toHaveAttribute(
      'contenteditable',
      'false',
    );
    expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled();
    expect(
      screen.queryByRole('button', { name: 'Create plan' }),
    ).not.toBeInTheDocument();
    expect(screen.getByText(/Above 256Mi of memory/)).toBeInTheDocument();
  });

  it('annotates the lines the checks point at, in the editor and in the list', async () => {
    await render();
    // The CPU limit is missing: it points at `limits:` (line 14); the
    // readiness probe at the container item (line 11).
    const cpu = screen.getByTestId('check-resources-cpu-limit-missing');
    expect(
      within(cpu).getByRole('button', { name: 'line 14' }),
    ).toBeInTheDocument();
    const probe = screen.getByTestId('check-probe-readiness-missing');
    expect(
      within(probe).getByRole('button', { name: 'line 11' }),
    ).toBeInTheDocument();
    await waitFor(() => {
      const editor = screen.getByTestId('manifest-editor');
      const marked = (severity: string) =>
        [...editor.querySelectorAll(`.cm-lintRange-${severity}`)]
          .map(e => e.textContent)
          .join('');
      expect(marked('warning')).toBe('name: checkout');
      expect(marked('info')).toBe('limits');
      expect(editor.querySelectorAll('.cm-lint-marker').length).toBe(2);
    });
  });

  it('shows the line a check points at, also while the manifest is read-only', async () => {
    await render();
    const highlighted = () =>
      [
        ...screen
          .getByTestId('manifest-editor')
          .querySelectorAll('[data-target-line]'),
      ].map(e => e.textContent?.trim());
    expect(highlighted()).toEqual([]);
    await userEvent.click(
      within(screen.getByTestId('check-resources-cpu-limit-missing')).getByRole(
        'button',
        { name: 'line 14' },
      ),
    );
    await waitFor(() => expect(highlighted()).toEqual(['limits:']));
    await userEvent.click(
      within(screen.getByTestId('check-probe-readiness-missing')).getByRole(
        'button',
        { name: 'line 11' },
      ),
    );
    await waitFor(() => expect(highlighted()).toEqual(['- name: checkout']));
  });

  it('applies a suggested fix into the text, checks it again and creates the plan from it', async () => {
    const api = await render();
    api.createPlan.mockResolvedValue(plan({ id: 'p-yaml' }));
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply suggested fix (200m)' }),
    );
    expect(screen.getByTestId('manifest-editor')).toHaveAttribute(
      'data-editing',
      'true',
    );
    expect(editorText()).toContain('cpu: 200m');
    await waitFor(() =>
      expect(api.checkManifest).toHaveBeenLastCalledWith({
        entityRef: 'component:default/checkout',
        resource: RESOURCE,
        manifest: expect.stringContaining(
          'limits:\n              memory: 256Mi\n              cpu: 200m',
        ),
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create plan' }));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '/catalog/default/component/checkout/kubecopilot-plans?plan=p-yaml',
      ),
    );
    expect(api.createPlan).toHaveBeenCalledWith({
      entityRef: 'component:default/checkout',
      resource: RESOURCE,
      manifest: expect.stringContaining('cpu: 200m'),
    });
  });

  it('makes the editor editable on "Edit"; "Create plan" waits for a change; "Cancel" puts the live text back', async () => {
    await render();
    await userEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const editor = screen.getByTestId('manifest-editor');
    expect(editor).toHaveAttribute('data-editing', 'true');
    expect(editor.querySelector('.cm-content')).toHaveAttribute(
      'contenteditable',
      'true',
    );
    expect(screen.getByRole('button', { name: 'Create plan' })).toBeDisabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply suggested fix (200m)' }),
    );
    expect(screen.getByRole('button', { name: 'Create plan' })).toBeEnabled();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(editorText()).not.toContain('cpu: 200m');
    expect(screen.getByRole('button', { name: 'Edit' })).toBeInTheDocument();
  });

  it('shows the backend’s reason when a plan is refused', async () => {
    const api = await render();
    const { ResponseError } = await import('@backstage/errors');
    api.createPlan.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message:
                'the edited manifest changes fields a plan cannot change: metadata.labels.team.',
            },
            request: { method: 'POST', url: '/plans' },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ),
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply suggested fix (200m)' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Create plan' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'a plan cannot change: metadata.labels.team',
    );
  });

  describe("the model's view", () => {
    const withModel = { ...checks, modelCanExplain: true };

    it('is not offered when no model is configured', async () => {
      await render();
      expect(
        screen.queryByRole('button', { name: 'Ask the model' }),
      ).not.toBeInTheDocument();
    });

    it('asks on demand and shows the grounded points, where they came from, and how many were left out', async () => {
      const api = await render({ checks: withModel });
      api.explainManifest.mockResolvedValue({
        ok: true,
        resource: RESOURCE,
        points: [
          {
            path: 'spec.replicas',
            text: 'One replica means every rollout and node drain is an outage.',
          },
        ],
        dropped: ['spec.strategy: the manifest has no such field'],
        model: 'gpt-4o-mini',
        promptVersion: 'yaml-explain/v1',
      });
      expect(api.explainManifest).not.toHaveBeenCalled();
      await userEvent.click(
        screen.getByRole('button', { name: 'Ask the model' }),
      );
      expect(api.explainManifest).toHaveBeenCalledWith({
        entityRef: 'component:default/checkout',
        resource: RESOURCE,
      });
      const view = await screen.findByRole('list', {
        name: "The model's view",
      });
      expect(view).toHaveTextContent(
        'spec.replicas — One replica means every rollout and node drain is an outage.',
      );
      expect(
        screen.getByText(
          /^From gpt-4o-mini \(yaml-explain\/v1\)\. Each point was checked/,
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByText(
          '1 point was left out because it cited something the manifest does not have.',
        ),
      ).toBeInTheDocument();
      // Asked once: the button is gone until the text changes.
      expect(
        screen.queryByRole('button', { name: /Ask the model/ }),
      ).not.toBeInTheDocument();
    });

    it('says why there is no explanation', async () => {
      const api = await render({ checks: withModel });
      api.explainManifest.mockResolvedValue({
        ok: false,
        resource: RESOURCE,
        reason:
          'the model did not answer usably (timeout): no answer in 30000 ms',
      });
      await userEvent.click(
        screen.getByRole('button', { name: 'Ask the model' }),
      );
      expect(
        await screen.findByText(
          "The model's explanation is not shown: the model did not answer usably (timeout): no answer in 30000 ms",
        ),
      ).toBeInTheDocument();
    });
  });
});
