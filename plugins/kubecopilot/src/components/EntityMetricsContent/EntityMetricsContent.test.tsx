import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  MetricsResponse,
  SlosResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  KubecopilotMetricsApi,
  kubecopilotMetricsApiRef,
} from '../../api/MetricsClient';
import {
  checkoutEntity,
  mockKubecopilotApi,
} from '../../__testUtils__/fixtures';
import { kubecopilotApiRef } from '../../api';
import { EntityMetricsContent } from './EntityMetricsContent';

// jsdom lays nothing out and has no ResizeObserver, which recharts'
// ResponsiveContainer needs; charts render at zero size here.
class NoLayoutResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
beforeAll(() => {
  (globalThis as any).ResizeObserver ??= NoLayoutResizeObserver;
});

const T0 = Date.parse('2026-12-06T11:00:00Z');
const MI = 2 ** 20;
const points = (...values: number[]): [number, number][] =>
  values.map((v, i) => [T0 + i * 15_000, v]);

/** What GET /metrics answers for the OOM-killed worker (shape of the real backend's response). */
function metrics(patch: Partial<MetricsResponse> = {}): MetricsResponse {
  return {
    entityRef: 'component:default/checkout',
    range: '1h',
    start: '2026-12-06T11:00:00.000Z',
    end: '2026-12-06T12:00:00.000Z',
    stepSeconds: 15,
    errors: [],
    workloads: [
      {
        cluster: 'demo',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
        state: 'ok',
        panels: [
          {
            id: 'memory',
            unit: 'bytes',
            queries: [
              {
                role: 'value',
                promql:
                  'max by (container) (container_memory_working_set_bytes{…})',
              },
            ],
            series: [
              {
                name: 'checkout',
                role: 'value',
                points: points(160 * MI, 210 * MI, 250 * MI),
              },
              {
                name: 'limit (checkout)',
                role: 'limit',
                points: points(256 * MI, 256 * MI, 256 * MI),
              },
            ],
          },
          {
            id: 'restarts',
            unit: 'count',
            queries: [],
            series: [
              { name: 'checkout', role: 'value', points: points(5, 6, 6) },
            ],
          },
          { id: 'requestRate', unit: 'rps', queries: [], series: [] },
          {
            id: 'p99Latency',
            unit: 'seconds',
            queries: [],
            series: [],
            error:
              "Prometheus rejected the query for cluster 'demo': parse error (bad_data)",
          },
        ],
      },
      {
        cluster: 'edge',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'checkout',
        state: 'not-configured',
        message: "No Prometheus is configured for cluster 'edge'",
        panels: [],
      },
    ],
    ...patch,
  };
}

function slos(patch: Partial<SlosResponse> = {}): SlosResponse {
  return {
    entityRef: 'component:default/checkout',
    declared: true,
    source: 'file:/srv/catalog/slos/checkout.yaml',
    problems: [],
    slos: [
      {
        name: 'checkout-availability',
        displayName: 'Checkout availability',
        target: 0.995,
        timeWindow: '28d',
        cluster: 'demo',
        state: 'ok',
        sli: 0.92,
        errorBudgetRemaining: -15,
        burnRates: [
          { window: '5m', value: 16 },
          { window: '30m', value: 16 },
          { window: '1h', value: 16 },
          { window: '6h', value: 16 },
        ],
        alerts: [
          {
            name: 'fast-burn',
            longWindow: '1h',
            shortWindow: '5m',
            threshold: 14.4,
            firing: true,
          },
          {
            name: 'slow-burn',
            longWindow: '6h',
            shortWindow: '30m',
            threshold: 6,
            firing: true,
          },
        ],
        queries: [],
      },
    ],
    ...patch,
  };
}

function render(
  api: jest.Mocked<KubecopilotMetricsApi>,
  plans = mockKubecopilotApi(),
) {
  if (!plans.getAudit.getMockImplementation()) {
    plans.getAudit.mockResolvedValue({ items: [] });
  }
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotMetricsApiRef, api],
        [kubecopilotApiRef, plans],
      ]}
    >
      <EntityProvider entity={checkoutEntity}>
        <EntityMetricsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const mockApi = (): jest.Mocked<KubecopilotMetricsApi> => ({
  getMetrics: jest.fn().mockResolvedValue(metrics()),
  getSlos: jest.fn().mockResolvedValue(slos()),
});

describe('EntityMetricsContent', () => {
  it('charts each workload with its latest values, limits, and the states of the others', async () => {
    const api = mockApi();
    await render(api);
    expect(
      await screen.findByText('Deployment shop/checkout · demo'),
    ).toBeInTheDocument();
    expect(api.getMetrics).toHaveBeenCalledWith(
      'component:default/checkout',
      '1h',
    );
    expect(screen.getByText('Memory (working set)')).toBeInTheDocument();
    expect(
      screen.getByText('checkout 250 MiB · limit (checkout) 256 MiB'),
    ).toBeInTheDocument();
    expect(screen.getByText('checkout 6')).toBeInTheDocument();
    expect(screen.getByText('No data in this range')).toBeInTheDocument();
    expect(
      screen.getByText(
        "Prometheus rejected the query for cluster 'demo': parse error (bad_data)",
      ),
    ).toBeInTheDocument();
    const edge = screen.getByText('Deployment shop/checkout · edge')
      .parentElement!;
    expect(within(edge).getByRole('alert')).toHaveTextContent(
      "Prometheus is not configured for this cluster: No Prometheus is configured for cluster 'edge'",
    );
  });

  it('marks the plans executed and reverted in the range, from the audit trail', async () => {
    const plans = mockKubecopilotApi();
    const entry = (id: number, action: string, createdAt: string) => ({
      id,
      planId: 'p1',
      entityRef: 'component:default/checkout',
      actor: 'user:default/alice',
      action,
      payload: {},
      createdAt,
      prevHash: 'a',
      hash: 'b',
    });
    plans.getAudit.mockResolvedValue({
      items: [
        entry(3, 'plan.reverted', '2026-12-06T11:40:00.000Z'),
        entry(2, 'plan.executed', '2026-12-06T11:20:00.000Z'),
        entry(1, 'plan.approved', '2026-12-06T11:10:00.000Z'),
        // Before the charted hour.
        entry(0, 'plan.executed', '2026-12-06T09:00:00.000Z'),
      ],
    });
    await render(mockApi(), plans);
    expect(
      await screen.findByText(
        /^Plans in this range: plan reverted [^,]+, plan executed [^,]+$/,
      ),
    ).toBeInTheDocument();
    expect(plans.getAudit).toHaveBeenCalledWith({
      entityRef: 'component:default/checkout',
      limit: 200,
    });
    expect(screen.queryByText(/plan approved/)).not.toBeInTheDocument();
  });

  it('asks again for the picked range', async () => {
    const api = mockApi();
    await render(api);
    await screen.findByText('Deployment shop/checkout · demo');
    api.getMetrics.mockResolvedValue(
      metrics({ range: '7d', stepSeconds: 1800 }),
    );
    await userEvent.click(screen.getByRole('button', { name: '7d' }));
    expect(api.getMetrics).toHaveBeenLastCalledWith(
      'component:default/checkout',
      '7d',
    );
    expect(
      await screen.findByText('Deployment shop/checkout · demo'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '7d' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('shows the spent budget and the firing burn alerts', async () => {
    await render(mockApi());
    expect(
      await screen.findByText('Checkout availability'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Objective: 99.5% / 28d · SLI over 28d: 92%'),
    ).toBeInTheDocument();
    expect(screen.getByText('Exhausted (-1,500%)')).toBeInTheDocument();
    expect(screen.getByText('1h 16×')).toBeInTheDocument();
    expect(
      screen.getByText('Fast burn: 1h and 5m over 14.4×'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Read from file:/srv/catalog/slos/checkout.yaml'),
    ).toBeInTheDocument();
  });

  it('says how to declare an SLO', async () => {
    const api = mockApi();
    api.getSlos.mockResolvedValue(
      slos({ declared: false, source: undefined, slos: [] }),
    );
    await render(api);
    expect(await screen.findByText('No SLO declared')).toBeInTheDocument();
  });

  it('shows the problems of an OpenSLO file and an unreachable Prometheus', async () => {
    const api = mockApi();
    api.getSlos.mockResolvedValue(
      slos({
        problems: [
          "SLO 'latency': spec.objectives.0.target: must be a fraction below 1 (e.g. 0.995)",
        ],
        slos: [
          {
            ...slos().slos[0],
            state: 'unreachable',
            message:
              "Prometheus for cluster 'demo' did not answer within 8000 ms",
            sli: null,
            errorBudgetRemaining: null,
          },
        ],
      }),
    );
    await render(api);
    expect(
      await screen.findByText(/The OpenSLO file could not be used entirely/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "SLO 'latency': spec.objectives.0.target: must be a fraction below 1 (e.g. 0.995)",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Prometheus unreachable/).closest('[role="alert"]'),
    ).toHaveTextContent(
      "Prometheus unreachable: Prometheus for cluster 'demo' did not answer within 8000 ms",
    );
  });

  it('shows an error from the backend', async () => {
    const api = mockApi();
    api.getMetrics.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotAllowedError', message: 'Not allowed' },
          }),
          {
            status: 403,
            headers: { 'content-type': 'application/json' },
          },
        ) as any,
      ),
    );
    await render(api);
    expect(
      await screen.findByText(/Could not load the metrics/),
    ).toBeInTheDocument();

    api.getMetrics.mockResolvedValue(metrics({ workloads: [] }));
    await render(api);
    expect(await screen.findByText('Nothing to chart')).toBeInTheDocument();
  });
});
