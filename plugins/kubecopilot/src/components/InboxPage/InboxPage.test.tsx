import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import {
  backendError,
  checkoutEntity,
  mockKubecopilotApi,
  plan,
} from '../../__testUtils__/fixtures';
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

function render(
  api: ReturnType<typeof mockKubecopilotApi>,
  options: { route?: string; signals?: SignalApi } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [permissionApiRef, mockApis.permission()],
        [catalogApiRef, catalogApiMock({ entities: [checkoutEntity] })],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ]}
    >
      <InboxPage />
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: [options.route ?? '/kubecopilot/inbox'],
    },
  );
}

function highRisk(p: ReturnType<typeof plan>) {
  return {
    ...p,
    risk: { level: 'high' as const, rationale: 'x', reasons: [] },
  };
}

// Typing and table renders are slow on a busy 2-core machine.
jest.setTimeout(20_000);

/** The inbox's own list (it also asks for plans paused at a promotion). */
function pendingCalls(api: ReturnType<typeof mockKubecopilotApi>) {
  return api.listPlans.mock.calls.filter(
    ([query]) => query?.status === 'pending',
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
    api.listPlans.mockImplementation(async query => {
      if (query?.status === 'paused') return { items: [] };
      return query?.cursor
        ? { items: [pendingPlan('old', 'storefront', minutesAgo(90))] }
        : {
            items: [pendingPlan('new', 'checkout', minutesAgo(2))],
            nextCursor: 'c1',
          };
    });
    await render(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Load older plans' }),
    );
    expect(
      await screen.findByRole('link', { name: 'storefront' }),
    ).toBeInTheDocument();
    expect(api.listPlans).toHaveBeenCalledWith({
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

  it('counts waiting plans per risk and filters by risk and entity', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({
      items: [
        highRisk(pendingPlan('a', 'checkout', minutesAgo(1))),
        pendingPlan('b', 'storefront', minutesAgo(2)),
        pendingPlan('c', 'checkout', minutesAgo(3)),
      ],
    });
    await render(api);
    await screen.findByText('Waiting for approval');
    const counts = screen.getByTestId('risk-counts');
    expect(counts).toHaveTextContent('1 high');
    expect(counts).toHaveTextContent('0 medium');
    expect(counts).toHaveTextContent('2 low');

    await userEvent.click(screen.getByLabelText('Risk'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'high (1)' }),
    );
    await waitFor(() =>
      expect(screen.getAllByRole('row').slice(1)).toHaveLength(1),
    );
    await userEvent.click(screen.getByLabelText('Risk'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Any risk' }),
    );
    await userEvent.click(screen.getByLabelText('Entity'));
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'component:default/storefront',
      }),
    );
    await waitFor(() =>
      expect(screen.getAllByRole('row').slice(1)).toHaveLength(1),
    );
    expect(
      screen.getByRole('link', { name: 'storefront' }),
    ).toBeInTheDocument();
  });

  it('filters by the owner of the entity', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({
      items: [
        {
          ...pendingPlan('a', 'checkout', minutesAgo(1)),
          ownerRef: 'group:default/team-shop',
        },
        {
          ...pendingPlan('b', 'billing', minutesAgo(2)),
          ownerRef: 'group:default/team-billing',
        },
        pendingPlan('c', 'storefront', minutesAgo(3)),
      ],
    });
    await render(api);
    await screen.findByText('Waiting for approval');
    await userEvent.click(screen.getByLabelText('Owner'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'group:default/team-billing' }),
    );
    await waitFor(() =>
      expect(screen.getAllByRole('row').slice(1)).toHaveLength(1),
    );
    expect(screen.getByRole('link', { name: 'billing' })).toBeInTheDocument();
  });

  it('rejects the ticked plans with one comment', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({
      items: [
        pendingPlan('a', 'checkout', minutesAgo(1)),
        pendingPlan('b', 'storefront', minutesAgo(2)),
      ],
    });
    api.rejectPlan.mockImplementation(async id =>
      plan({ id, status: 'rejected' }),
    );
    await render(api);
    await screen.findByText('Waiting for approval');
    const boxes = screen.getAllByRole('checkbox');
    // The first box ticks every row.
    await userEvent.click(boxes[0]);
    const reject = await screen.findByRole('button', {
      name: 'Reject 2 plans',
    });
    expect(reject).toBeDisabled();
    await userEvent.type(
      screen.getByLabelText(/Why reject them/),
      'duplicate of INC-42',
    );
    await userEvent.click(reject);
    await waitFor(() => expect(api.rejectPlan).toHaveBeenCalledTimes(2));
    expect(api.rejectPlan).toHaveBeenCalledWith('a', 'duplicate of INC-42');
    expect(api.rejectPlan).toHaveBeenCalledWith('b', 'duplicate of INC-42');
    await waitFor(() => expect(pendingCalls(api)).toHaveLength(2));
  });

  it('lists canary plans paused at a promotion under their own heading', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockImplementation(async query =>
      query?.status === 'paused'
        ? {
            items: [
              {
                ...pendingPlan('canary', 'checkout', minutesAgo(5)),
                status: 'paused' as const,
              },
            ],
          }
        : { items: [] },
    );
    await render(api);
    const section = await screen.findByTestId('awaiting-promotion');
    expect(
      within(section).getByText('Waiting for promotion'),
    ).toBeInTheDocument();
    expect(within(section).getByText('Awaiting promotion')).toBeInTheDocument();
    expect(api.listPlans).toHaveBeenCalledWith({ status: 'paused' });
  });

  it('opens the plan a notification links to', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({ items: [] });
    api.getPlan.mockResolvedValue(plan({ id: 'from-notification' }));
    api.getAudit.mockResolvedValue({ items: [] });
    api.verifyAudit.mockResolvedValue({ ok: true, checked: 0 });
    await render(api, { route: '/kubecopilot/inbox?plan=from-notification' });
    expect(await screen.findByRole('dialog')).toBeInTheDocument();
    expect(api.getPlan).toHaveBeenCalledWith('from-notification');
  });

  it('reloads when the backend signals a plan change', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({ items: [] });
    let deliver: (message: any) => void = () => {};
    const signals: SignalApi = {
      subscribe: (_channel, onMessage) => {
        deliver = onMessage;
        return { unsubscribe: () => {} };
      },
    };
    await render(api, { signals });
    await screen.findByText('No plans wait for you');
    expect(
      screen.queryByText(/Live updates are unavailable/),
    ).not.toBeInTheDocument();
    act(() => deliver({ planId: 'new', status: 'pending' }));
    await waitFor(() => expect(pendingCalls(api)).toHaveLength(2));
  });

  it('offers the refresh button when live updates are unavailable', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({ items: [] });
    await render(api);
    expect(
      await screen.findByText(/Live updates are unavailable/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeInTheDocument();
  });
});
