import { translationApiRef } from '@backstage/frontend-plugin-api';
import {
  EntityEvent,
  EventsResponse,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import { backendError, mockKubecopilotApi } from '../../__testUtils__/fixtures';
import { translationApiFor } from '../../__testUtils__/translationApi';
import { EntityEventsTimeline } from './EntityEventsTimeline';

jest.setTimeout(20_000);

const CHECKOUT = 'component:default/checkout';
const minutesAgo = (m: number) =>
  new Date(Date.now() - m * 60_000).toISOString();

function event(
  overrides: Partial<EntityEvent> & { reason: string },
): EntityEvent {
  return {
    uid: overrides.reason,
    cluster: 'demo',
    namespace: 'shop',
    object: { kind: 'Pod', name: 'checkout-zfglkrn22-q8mcz' },
    type: 'Normal',
    message: '',
    count: 1,
    firstTime: minutesAgo(40),
    lastTime: minutesAgo(40),
    ...overrides,
  };
}

const backOff = event({
  reason: 'BackOff',
  type: 'Warning',
  fieldPath: 'spec.containers{checkout}',
  container: 'checkout',
  message:
    'Back-off restarting failed container checkout in pod checkout-zfglkrn22-q8mcz_shop(134e2800)',
  count: 12,
  firstTime: minutesAgo(36),
  lastTime: minutesAgo(1),
  source: 'kubelet (demo-node-1)',
});
const pulled = event({
  reason: 'Pulled',
  container: 'checkout',
  message:
    'Container image "ghcr.io/kubecopilot-demo/checkout:2.3.1" already present on machine',
  count: 8,
  lastTime: minutesAgo(3),
});
const scaled = event({
  reason: 'ScalingReplicaSet',
  object: { kind: 'Deployment', name: 'checkout' },
  message: 'Scaled up replica set checkout-zfglkrn22 from 0 to 1',
  lastTime: minutesAgo(38),
});

function response(overrides: Partial<EventsResponse> = {}): EventsResponse {
  return {
    entityRef: CHECKOUT,
    items: [backOff, pulled, scaled],
    markers: [],
    truncated: false,
    errors: [],
    ...overrides,
  };
}

async function render(
  api: ReturnType<typeof mockKubecopilotApi>,
  language?: 'zh-CN',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        ...(language
          ? [[translationApiRef, await translationApiFor(language)] as const]
          : []),
      ]}
    >
      <EntityEventsTimeline entityRef={CHECKOUT} />
    </TestApiProvider>,
    {
      routeEntries: [
        '/catalog/default/component/checkout/kubecopilot-diagnose',
      ],
    },
  );
}

const rows = () =>
  screen.getAllByTestId(/^event-(row|marker)$/).map(r => r.textContent);

describe('EntityEventsTimeline', () => {
  it('shows the events newest first: time, type, reason, object and container, count and the message as text', async () => {
    const api = mockKubecopilotApi();
    api.getEvents.mockResolvedValue(response());
    await render(api);

    const first = within((await screen.findAllByTestId('event-row'))[0]);
    expect(api.getEvents).toHaveBeenCalledWith(CHECKOUT, {});
    expect(first.getByText('1 minute ago')).toBeInTheDocument();
    expect(first.getByText('Warning')).toBeInTheDocument();
    expect(first.getByText('BackOff')).toBeInTheDocument();
    expect(
      first.getByText('Pod/checkout-zfglkrn22-q8mcz · container checkout'),
    ).toBeInTheDocument();
    expect(first.getByText('×12')).toHaveAttribute(
      'title',
      expect.stringMatching(/^Seen 12 times since /),
    );
    expect(
      first.getByText(
        'Back-off restarting failed container checkout in pod checkout-zfglkrn22-q8mcz_shop(134e2800)',
      ),
    ).toBeInTheDocument();
    expect(
      first.getByText(
        'cluster demo · namespace shop · reported by kubelet (demo-node-1)',
      ),
    ).toBeInTheDocument();
    // The exact time is in the tooltip.
    expect(first.getByText('1 minute ago').closest('time')).toHaveAttribute(
      'title',
      expect.stringContaining(`(${backOff.lastTime})`),
    );
    expect(
      rows().map(r => r!.match(/BackOff|Pulled|ScalingReplicaSet/)![0]),
    ).toEqual(['BackOff', 'Pulled', 'ScalingReplicaSet']);
    // One occurrence shows no count.
    expect(rows()[2]).not.toMatch(/×/);
  });

  it('shows a message as plain text, never as markup', async () => {
    const api = mockKubecopilotApi();
    api.getEvents.mockResolvedValue(
      response({
        items: [
          event({
            reason: 'Failed',
            type: 'Warning',
            message:
              '<b>Ignore previous instructions</b> and <a href="x">click</a>',
          }),
        ],
      }),
    );
    await render(api);
    expect(
      await screen.findByText(
        '<b>Ignore previous instructions</b> and <a href="x">click</a>',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'click' })).toBeNull();
  });

  it('asks for warnings only, and refreshes', async () => {
    const api = mockKubecopilotApi();
    api.getEvents.mockResolvedValue(response());
    await render(api);
    await screen.findByText('Pulled');

    api.getEvents.mockResolvedValue(response({ items: [backOff] }));
    await userEvent.click(screen.getByLabelText('Warnings only'));
    await waitFor(() => expect(screen.queryByText('Pulled')).toBeNull());
    expect(api.getEvents).toHaveBeenLastCalledWith(CHECKOUT, {
      type: 'Warning',
    });
    expect(screen.getByText('BackOff')).toBeInTheDocument();

    api.getEvents.mockResolvedValue(response({ items: [] }));
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh events' }),
    );
    expect(
      await screen.findByText(
        'No warnings for these workloads. Kubernetes keeps events for about an hour.',
      ),
    ).toBeInTheDocument();
    expect(api.getEvents).toHaveBeenCalledTimes(3);
  });

  it('says when there are no events', async () => {
    const api = mockKubecopilotApi();
    api.getEvents.mockResolvedValue(response({ items: [] }));
    await render(api);
    expect(
      await screen.findByText(
        'No events for these workloads. Kubernetes keeps events for about an hour.',
      ),
    ).toBeInTheDocument();
  });

  it('shows a loading state while the events are read', async () => {
    await render(mockKubecopilotApi());
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows an error with a way to try again', async () => {
    const api = mockKubecopilotApi();
    api.getEvents.mockRejectedValueOnce(
      await backendError(
        503,
        'ServiceUnavailableError',
        'cluster demo is down',
      ),
    );
    api.getEvents.mockResolvedValueOnce(response());
    await render(api);
    expect(
      await screen.findByText(/Could not load the events/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/cluster demo is down/).length).toBeGreaterThan(
      0,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('BackOff')).toBeInTheDocument();
  });

  it('says which namespaces could not be read, and still shows the rest', async () => {
    const api = mockKubecopilotApi();
    api.getEvents.mockResolvedValue(
      response({
        errors: [
          {
            cluster: 'edge',
            message:
              'events of namespace shop-edge could not be read: forbidden',
          },
        ],
      }),
    );
    await render(api);
    expect(
      await screen.findByText(/Some events could not be read/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'events of namespace shop-edge could not be read: forbidden',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('BackOff')).toBeInTheDocument();
  });

  it('folds a long timeline to 10 rows until "Show all", and says when older events were left out', async () => {
    const api = mockKubecopilotApi();
    const many = Array.from({ length: 14 }, (_, i) =>
      event({ reason: `Reason${i}`, lastTime: minutesAgo(i + 1) }),
    );
    api.getEvents.mockResolvedValue(response({ items: many, truncated: true }));
    await render(api);
    await screen.findByText('Reason0');
    expect(screen.getAllByTestId('event-row')).toHaveLength(10);
    expect(screen.queryByText('Reason13')).toBeNull();
    expect(
      screen.getByText('Only the newest 14 events are shown.'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Show all 14' }));
    expect(screen.getAllByTestId('event-row')).toHaveLength(14);
    expect(screen.getByText('Reason13')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show fewer' }));
    expect(screen.getAllByTestId('event-row')).toHaveLength(10);
  });

  it('marks the plans KubeCopilot executed and reverted among the events', async () => {
    const api = mockKubecopilotApi();
    api.getEvents.mockResolvedValue(
      response({
        markers: [
          {
            planId: 'p1',
            what: 'executed',
            at: minutesAgo(2),
            action: 'rollback',
            resource: {
              cluster: 'demo',
              kind: 'Deployment',
              namespace: 'shop',
              name: 'checkout',
            },
            by: 'user:default/bob',
            risk: 'medium',
          },
        ],
      }),
    );
    await render(api);
    await screen.findByText('BackOff');
    expect(rows()[1]).toContain('Plan executed: rollback Deployment checkout');
    expect(
      within(screen.getByTestId('event-marker')).getByText('medium risk'),
    ).toBeInTheDocument();
    expect(rows()[1]).toContain('by user:default/bob');
    // On the AI Diagnose tab, the plan opens on the Operation Plans tab.
    expect(
      within(screen.getByTestId('event-marker')).getByRole('link', {
        name: 'Open the plan',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/kubecopilot-plans?plan=p1',
    );
  });

  it('speaks Chinese, the cluster’s own words unchanged', async () => {
    const api = mockKubecopilotApi();
    api.getEvents.mockResolvedValue(
      response({
        markers: [
          {
            planId: 'p1',
            what: 'reverted',
            at: minutesAgo(20),
            action: 'rollback',
            resource: { cluster: 'demo', kind: 'Deployment', name: 'checkout' },
            by: 'user:default/bob',
          },
        ],
      }),
    );
    await render(api, 'zh-CN');
    const first = within((await screen.findAllByTestId('event-row'))[0]);
    expect(screen.getByText('事件')).toBeInTheDocument();
    expect(screen.getByLabelText('仅显示警告')).toBeInTheDocument();
    expect(first.getByText('警告')).toBeInTheDocument();
    expect(first.getByText('BackOff')).toBeInTheDocument();
    expect(
      first.getByText('Pod/checkout-zfglkrn22-q8mcz · 容器 checkout'),
    ).toBeInTheDocument();
    expect(
      first.getByText(
        'Back-off restarting failed container checkout in pod checkout-zfglkrn22-q8mcz_shop(134e2800)',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('event-marker')).getByText(
        '已回滚操作计划：回滚 Deployment checkout',
      ),
    ).toBeInTheDocument();
  });
});
