import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import {
  backendError,
  checkoutEntity,
  mockKubecopilotApi,
  plan,
} from '../../__testUtils__/fixtures';
import { EntityPlansContent } from './EntityPlansContent';

function render(
  api: ReturnType<typeof mockKubecopilotApi>,
  route = '/catalog/default/component/checkout/kubecopilot-plans',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={checkoutEntity}>
        <EntityPlansContent />
      </EntityProvider>
    </TestApiProvider>,
    { routeEntries: [route] },
  );
}

function withReviewApis(api: ReturnType<typeof mockKubecopilotApi>) {
  api.getAudit.mockResolvedValue({ items: [] });
  api.verifyAudit.mockResolvedValue({ ok: true, checked: 0 });
  return api;
}

// Table renders and the review dialog are slow on a busy 2-core machine.
jest.setTimeout(20_000);

describe('EntityPlansContent', () => {
  it('asks for the entity’s plans and shows progress meanwhile', async () => {
    const api = mockKubecopilotApi();
    await render(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(api.listPlans).toHaveBeenCalledWith({
      entityRef: 'component:default/checkout',
    });
  });

  it('lists status, action, target, risk, requester and age of each plan', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({
      items: [
        plan(),
        plan({
          id: 'plan-2',
          status: 'executed',
          action: 'scale',
          risk: { level: 'high', rationale: 'production', reasons: [] },
          audit: {
            ...plan().audit,
            requestedBy: 'user:default/jane',
            timestamps: {
              ...plan().audit.timestamps,
              createdAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
            },
          },
        }),
      ],
    });
    await render(api);

    expect(await screen.findByText('Operation plans')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);

    const pending = within(rows[0]);
    expect(pending.getByText('Pending approval')).toBeInTheDocument();
    expect(pending.getByText('restart')).toBeInTheDocument();
    expect(pending.getByText('Deployment shop/checkout')).toBeInTheDocument();
    expect(pending.getByText('cluster demo')).toBeInTheDocument();
    expect(pending.getByText('low risk')).toBeInTheDocument();
    expect(pending.getByText('guest')).toBeInTheDocument();
    expect(pending.getByText('5 minutes ago')).toBeInTheDocument();

    const executed = within(rows[1]);
    expect(executed.getByText('Executed')).toBeInTheDocument();
    expect(executed.getByText('scale')).toBeInTheDocument();
    expect(executed.getByText('high risk')).toBeInTheDocument();
    expect(executed.getByText('jane')).toBeInTheDocument();
    expect(executed.getByText('3 hours ago')).toBeInTheDocument();
  });

  it('explains where plans come from when there are none', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({ items: [] });
    await render(api);

    expect(
      await screen.findByText('No operation plans yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Plans appear here once one is created/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockRejectedValue(
      await backendError(403, 'NotAllowedError', 'You may not read plans'),
    );
    await render(api);

    expect(
      await screen.findByText('Error: Could not load the plans'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/You may not read plans/)[0],
    ).toBeInTheDocument();
  });

  it('opens the review of ?plan= from the URL', async () => {
    const api = withReviewApis(mockKubecopilotApi());
    api.listPlans.mockResolvedValue({ items: [plan()] });
    api.getPlan.mockResolvedValue(plan({ id: 'plan-from-link' }));
    await render(
      api,
      '/catalog/default/component/checkout/kubecopilot-plans?plan=plan-from-link',
    );
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    expect(api.getPlan).toHaveBeenCalledWith('plan-from-link');
    expect(
      await screen.findByText('Review plan: restart Deployment shop/checkout'),
    ).toBeInTheDocument();
  });

  it('opens a plan’s review from its row and closes it again', async () => {
    const api = withReviewApis(mockKubecopilotApi());
    api.listPlans.mockResolvedValue({ items: [plan()] });
    api.getPlan.mockResolvedValue(plan());
    await render(api);
    await userEvent.click(await screen.findByText('Pending approval'));
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    expect(api.getPlan).toHaveBeenCalledWith('plan-1');
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('filters by risk', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({
      items: [
        plan(),
        plan({
          id: 'plan-2',
          action: 'scale',
          risk: { level: 'high', rationale: 'x', reasons: [] },
        }),
      ],
    });
    await render(api);
    await screen.findByText('Operation plans');
    expect(screen.getAllByRole('row').slice(1)).toHaveLength(2);
    await userEvent.click(screen.getByLabelText('Risk'));
    await userEvent.click(await screen.findByRole('option', { name: 'high' }));
    await waitFor(() =>
      expect(screen.getAllByRole('row').slice(1)).toHaveLength(1),
    );
    expect(screen.getByText('scale')).toBeInTheDocument();
  });

  it('asks the status filter from the backend', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({ items: [plan()] });
    await render(api);
    await screen.findByText('Operation plans');
    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Executed' }),
    );
    await waitFor(() =>
      expect(api.listPlans).toHaveBeenLastCalledWith({
        entityRef: 'component:default/checkout',
        status: 'executed',
      }),
    );
  });
});
