import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { kubecopilotApiRef } from '../../api';
import {
  checkoutEntity,
  mockKubecopilotApi,
  workload,
  workloadsResponse,
} from '../../__testUtils__/fixtures';
import { EntitySummaryCard } from './EntitySummaryCard';

function render(api: ReturnType<typeof mockKubecopilotApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[kubecopilotApiRef, api]]}>
      <EntityProvider entity={checkoutEntity}>
        <EntitySummaryCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntitySummaryCard', () => {
  it('counts the workloads in trouble and invites to AI Diagnose', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({
        workloads: [
          workload({ ready: 0, desired: 1, reasons: ['CrashLoopBackOff'] }),
          workload({
            name: 'checkout-worker',
            ready: 2,
            desired: 2,
            reasons: [],
          }),
        ],
      }),
    );
    await render(api);

    expect(
      await screen.findByText(
        '1 of 2 workloads is not ready: CrashLoopBackOff',
      ),
    ).toBeInTheDocument();
    // The summary needs no ConfigMaps, Secrets or Ingresses (no relations).
    expect(api.getWorkloads).toHaveBeenCalledWith(
      'component:default/checkout',
      undefined,
    );
    const list = screen.getByRole('list', { name: 'Workloads' });
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('checkout');
    expect(items[0]).toHaveTextContent('0/1 ready');
    expect(within(items[0]).getByTitle('Failing')).toBeInTheDocument();
    expect(items[1]).toHaveTextContent('checkout-worker');
    expect(items[1]).toHaveTextContent('2/2 ready');
    expect(within(items[1]).getByTitle('Healthy')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Find out why with AI Diagnose/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/kubecopilot-diagnose',
    );
  });

  it('is calm when everything is ready, even after an earlier crash', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({
        workloads: [workload({ ready: 1, desired: 1, reasons: ['Error'] })],
      }),
    );
    await render(api);
    expect(
      await screen.findByText('Its workload is ready'),
    ).toBeInTheDocument();
    // 1/1 ready is not a red light; the old crash is a warning at most.
    expect(screen.queryByTitle('Failing')).not.toBeInTheDocument();
    expect(
      screen.getByTitle('Ready, but pods reported problems recently'),
    ).toHaveTextContent('1/1 ready');
    expect(
      screen.getByRole('link', { name: /Open AI Diagnose/ }),
    ).toBeInTheDocument();
  });

  it('says so when nothing runs for the entity', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(workloadsResponse({ workloads: [] }));
    await render(api);
    expect(
      await screen.findByText('No workloads found for this entity in demo.'),
    ).toBeInTheDocument();
  });
});
