import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { FindingRecord } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import { backendError, mockKubecopilotApi } from '../../__testUtils__/fixtures';
import { age } from './FindingsContent';
import { FindingsPage } from './FindingsPage';

jest.setTimeout(60_000);

const hoursAgo = (n: number) =>
  new Date(Date.now() - n * 3_600_000).toISOString();

function record(
  overrides: Partial<FindingRecord> & { name: string },
): FindingRecord {
  const { name, ...rest } = overrides;
  const resource = { kind: 'Pod', namespace: 'shop', name: `${name}-7d9f-x2` };
  return {
    fingerprint: `fp-${name}`,
    entityRef: `component:default/${name}`,
    ownerRef: 'group:default/team-shop',
    status: 'open',
    severity: 'error',
    code: 'CrashLoopBackOff',
    title: `CrashLoopBackOff: Pod shop/${resource.name} (container app)`,
    cluster: 'demo',
    resource,
    container: 'app',
    finding: {
      analyzer: 'pod',
      code: 'CrashLoopBackOff',
      severity: 'error',
      cluster: 'demo',
      resource,
      container: 'app',
      message: `Container "app" of ${name} is crash-looping.`,
      evidence: [],
    },
    firstSeen: hoursAgo(3),
    lastSeen: hoursAgo(0),
    ...rest,
  };
}

const ITEMS = [
  record({ name: 'checkout' }),
  record({
    name: 'payments',
    ownerRef: 'group:default/team-pay',
    severity: 'critical',
    cluster: 'prod-eu',
    firstSeen: hoursAgo(50),
  }),
  record({ name: 'search', severity: 'warning', code: 'HpaAtMaxReplicas' }),
];

function render(api: ReturnType<typeof mockKubecopilotApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[kubecopilotApiRef, api]]}>
      <FindingsPage />
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

async function pick(label: string, option: string) {
  await userEvent.click(screen.getByLabelText(label));
  await userEvent.click(
    within(await screen.findByRole('listbox')).getByText(option),
  );
}

const shownEntities = () =>
  screen
    .getAllByRole('link', { name: /^CrashLoopBackOff/ })
    .map(a => a.textContent);

describe('FindingsPage', () => {
  it('lists the open findings, each linking to its entity\u2019s AI Diagnose tab', async () => {
    const api = mockKubecopilotApi();
    api.listFindings.mockResolvedValue({ items: ITEMS });
    await render(api);

    expect(await screen.findByText('Open findings (3)')).toBeInTheDocument();
    expect(api.listFindings).toHaveBeenCalledWith({
      status: 'open',
      limit: 1000,
    });
    const link = screen.getByRole('link', {
      name: 'CrashLoopBackOff: Pod shop/checkout-7d9f-x2 (container app)',
    });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/kubecopilot-diagnose',
    );
    expect(
      screen.getByText('Container "app" of checkout is crash-looping.'),
    ).toBeInTheDocument();
    expect(screen.getByText('2 d')).toBeInTheDocument();
  });

  it('filters by owner, cluster, severity and age', async () => {
    const api = mockKubecopilotApi();
    api.listFindings.mockResolvedValue({ items: ITEMS });
    await render(api);
    await screen.findByText('Open findings (3)');

    await pick('Owner', 'team-pay');
    expect(screen.getByText('Open findings (1)')).toBeInTheDocument();
    expect(shownEntities()).toEqual([
      'CrashLoopBackOff: Pod shop/payments-7d9f-x2 (container app)',
    ]);
    await pick('Owner', 'Any owner');

    await pick('Cluster', 'demo');
    expect(screen.getByText('Open findings (2)')).toBeInTheDocument();
    await pick('Cluster', 'Any cluster');

    await pick('Severity', 'warning');
    expect(screen.getByText('Open findings (1)')).toBeInTheDocument();
    expect(
      screen.getByText('Container "app" of search is crash-looping.'),
    ).toBeInTheDocument();
    await pick('Severity', 'Any severity');

    await pick('Age', 'Open over 1 day');
    expect(screen.getByText('Open findings (1)')).toBeInTheDocument();
    expect(
      screen.getByText('Container "app" of payments is crash-looping.'),
    ).toBeInTheDocument();
  });

  it('lists resolved findings with a Postmortem link around their life', async () => {
    const api = mockKubecopilotApi();
    api.listFindings.mockImplementation(async query => ({
      items:
        query?.status === 'resolved'
          ? [
              record({
                name: 'checkout',
                status: 'resolved',
                firstSeen: '2026-12-07T00:10:00.000Z',
                resolvedAt: '2026-12-07T01:00:00.000Z',
              }),
            ]
          : ITEMS,
    }));
    await render(api);
    await screen.findByText('Open findings (3)');
    await pick('Status', 'Resolved');
    expect(
      await screen.findByText('Resolved findings (1)'),
    ).toBeInTheDocument();
    expect(api.listFindings).toHaveBeenLastCalledWith({
      status: 'resolved',
      limit: 1000,
    });
    expect(screen.getByRole('link', { name: 'Postmortem' })).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout/kubecopilot-postmortems?from=2026-12-06T23%3A55%3A00.000Z&to=2026-12-07T01%3A15%3A00.000Z',
    );
  });

  it('says when nothing is open, and shows a backend error', async () => {
    const empty = mockKubecopilotApi();
    empty.listFindings.mockResolvedValue({ items: [] });
    const { unmount } = await render(empty);
    expect(await screen.findByText('No open findings')).toBeInTheDocument();
    unmount();

    const failing = mockKubecopilotApi();
    failing.listFindings.mockRejectedValue(
      await backendError(
        403,
        'NotAllowedError',
        'Not allowed to read findings',
      ),
    );
    await render(failing);
    await waitFor(() =>
      expect(
        screen.getAllByText(/Not allowed to read findings/).length,
      ).toBeGreaterThan(0),
    );
  });
});

describe('age', () => {
  it('is minutes, then hours, then days', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(age('2026-12-07T11:58:30Z', now)).toBe('1 min');
    expect(age('2026-12-07T09:00:00Z', now)).toBe('3 h');
    expect(age('2026-12-05T11:00:00Z', now)).toBe('2 d');
  });
});
