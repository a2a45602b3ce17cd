import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { kubecopilotApiRef } from '../../api';
import {
  backendError,
  checkoutEntity,
  mockKubecopilotApi,
  plan,
} from '../../testUtils/fixtures';
import { EntityPlansContent } from './EntityPlansContent';

function render(api: ReturnType<typeof mockKubecopilotApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[kubecopilotApiRef, api]]}>
      <EntityProvider entity={checkoutEntity}>
        <EntityPlansContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

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
});
