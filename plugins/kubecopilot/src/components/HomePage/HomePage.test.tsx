import { Entity } from '@backstage/catalog-model';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import { inboxRouteRef } from '../../routes';
import {
  checkoutEntity,
  mockKubecopilotApi,
  plan,
  workload,
  workloadsResponse,
} from '../../__testUtils__/fixtures';
import { HomePage } from './HomePage';

const component = (name: string, annotated = true): Entity => ({
  ...checkoutEntity,
  metadata: {
    name,
    namespace: 'default',
    annotations: annotated
      ? { 'backstage.io/kubernetes-id': name }
      : ({} as Record<string, string>),
  },
});

const mockNavigate = jest.fn();
jest.mock('react-router-dom', () => ({
  ...jest.requireActual('react-router-dom'),
  useNavigate: () => mockNavigate,
}));

function render(
  api: ReturnType<typeof mockKubecopilotApi>,
  entities = [component('checkout'), component('storefront')],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [catalogApiRef, catalogApiMock({ entities })],
      ]}
    >
      <HomePage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/kubecopilot/inbox': inboxRouteRef,
      },
    },
  );
}

// Table renders are slow on a busy 2-core machine.
jest.setTimeout(20_000);

describe('HomePage', () => {
  it('lists the services with open problems first, each with a way to diagnose it', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockImplementation(async ref =>
      ref === 'component:default/storefront'
        ? workloadsResponse({
            entityRef: ref,
            workloads: [
              workload({
                name: 'storefront',
                ready: 0,
                desired: 1,
                reasons: ['CrashLoopBackOff'],
              }),
            ],
          })
        : workloadsResponse({
            entityRef: ref,
            workloads: [workload({ ready: 2, desired: 2, reasons: [] })],
          }),
    );
    api.listPlans.mockResolvedValue({ items: [] });
    await render(api);

    expect(
      screen.getByRole('heading', { name: 'KubeCopilot' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        '1 of 2 services on Kubernetes has open problems.',
      ),
    ).toBeInTheDocument();
    const table = screen.getByText('Services on Kubernetes').closest('div')!
      .parentElement!.parentElement!;
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('storefront');
    expect(rows[0]).toHaveTextContent(
      'Its workload is not ready: CrashLoopBackOff',
    );
    expect(
      within(rows[0]).getByRole('link', { name: 'Diagnose' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/storefront/kubecopilot-diagnose',
    );
    expect(rows[1]).toHaveTextContent('checkout');
    expect(rows[1]).toHaveTextContent('Its workload is ready');
  });

  it('leaves out components that do not run on Kubernetes, and is calm when all is well', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({
        workloads: [workload({ ready: 1, desired: 1, reasons: [] })],
      }),
    );
    api.listPlans.mockResolvedValue({ items: [] });
    await render(api, [component('checkout'), component('docs-site', false)]);

    expect(
      await screen.findByText(
        'The one service on Kubernetes is running as it should.',
      ),
    ).toBeInTheDocument();
    expect(api.getWorkloads).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('docs-site')).not.toBeInTheDocument();
    expect(
      screen.getByText(/No plan waits for a decision/),
    ).toBeInTheDocument();
    expect(screen.getByText(/No operation plans yet/)).toBeInTheDocument();
  });

  it('explains how services get listed when none runs on Kubernetes', async () => {
    const api = mockKubecopilotApi();
    api.listPlans.mockResolvedValue({ items: [] });
    await render(api, [component('docs-site', false)]);
    expect(
      await screen.findByText(/No catalog component runs on Kubernetes yet/),
    ).toBeInTheDocument();
    expect(api.getWorkloads).not.toHaveBeenCalled();
  });

  it('shows the plans waiting for a decision and recent plans, each opening its review', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(workloadsResponse());
    api.listPlans.mockImplementation(async query =>
      query?.status === 'pending'
        ? { items: [plan({ id: 'waiting' })] }
        : {
            items: [
              plan({ id: 'waiting' }),
              plan({ id: 'done', status: 'executed', action: 'scale' }),
            ],
          },
    );
    await render(api, [component('checkout')]);

    expect(api.listPlans).toHaveBeenCalledWith({
      status: 'pending',
      limit: 10,
      entityRef: undefined,
    });
    expect(api.listPlans).toHaveBeenCalledWith({
      status: undefined,
      limit: 10,
      entityRef: undefined,
    });
    const waiting = (
      await screen.findByText('Waiting for your decision')
    ).closest('div')!.parentElement!.parentElement!;
    const waitingRows = within(waiting).getAllByRole('row').slice(1);
    expect(waitingRows).toHaveLength(1);
    expect(waitingRows[0]).toHaveTextContent('Pending approval');
    expect(
      within(waitingRows[0]).getByRole('link', { name: 'checkout' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout');
    expect(
      screen.getByRole('link', {
        name: 'All waiting plans in the approval inbox',
      }),
    ).toHaveAttribute('href', '/kubecopilot/inbox');

    const recent = screen.getByText('Recent plans').closest('div')!
      .parentElement!.parentElement!;
    const recentRows = within(recent).getAllByRole('row').slice(1);
    expect(recentRows).toHaveLength(2);
    await userEvent.click(await screen.findByText('scale'));
    await waitFor(() => expect(mockNavigate).toHaveBeenCalled());
    expect(mockNavigate).toHaveBeenCalledWith(
      '/catalog/default/component/checkout/kubecopilot-plans?plan=done',
    );
  });
});
