import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import {
  backendError,
  mockKubecopilotApi,
  plan,
} from '../../testUtils/fixtures';
import { InboxPage } from './InboxPage';

function minutesAgo(n: number) {
  return new Date(Date.now() - n * 60_000).toISOString();
}

function pendingPlan(id: string, entity: string, createdAt: string) {
  const base = plan();
  return plan({
    id,
    entityRef: `component:default/${entity}`,
    resource: { ...base.resource, name: entity },
    audit: {
      ...base.audit,
      timestamps: { ...base.audit.timestamps, createdAt },
    },
  });
}

function render(api: ReturnType<typeof mockKubecopilotApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[kubecopilotApiRef, api]]}>
      <InboxPage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('InboxPage', () => {
  it('asks for pending plans across the portal', async () => {
    const api = mockKubecopilotApi();
    await render(api);
    expect(screen.getByText('Approval inbox')).toBeInTheDocument();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(api.listPlans).toHaveBeenCalledWith({ status: 'pending' });
  });

  it('lists pending plans newest first, each linked to its entity', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({
      items: [
        pendingPlan('old', 'storefront', minutesAgo(120)),
        pendingPlan('new', 'checkout', minutesAgo(2)),
      ],
    });
    await render(api);

    expect(await screen.findByText('Waiting for approval')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(
      within(rows[0]).getByRole('link', { name: 'checkout' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout');
    expect(within(rows[0]).getByText('2 minutes ago')).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('link', { name: 'storefront' }),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('2 hours ago')).toBeInTheDocument();
  });

  it('loads older plans through the cursor', async () => {
    const api = mockKubecopilotApi();
    api.listPlans
      .mockResolvedValueOnce({
        items: [pendingPlan('new', 'checkout', minutesAgo(2))],
        nextCursor: 'c1',
      })
      .mockResolvedValueOnce({
        items: [pendingPlan('old', 'storefront', minutesAgo(90))],
      });
    await render(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Load older plans' }),
    );
    expect(
      await screen.findByRole('link', { name: 'storefront' }),
    ).toBeInTheDocument();
    expect(api.listPlans).toHaveBeenLastCalledWith({
      status: 'pending',
      cursor: 'c1',
    });
    expect(screen.getAllByRole('row').slice(1)).toHaveLength(2);
    expect(
      screen.queryByRole('button', { name: 'Load older plans' }),
    ).not.toBeInTheDocument();
  });

  it('says so when no plans wait', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({ items: [] });
    await render(api);
    expect(
      await screen.findByText('No plans wait for you'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockRejectedValue(
      await backendError(503, 'ServiceUnavailableError', 'Plan store is down'),
    );
    await render(api);
    expect(
      await screen.findByText('Error: Could not load the plans'),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/Plan store is down/)[0]).toBeInTheDocument();
  });
});
