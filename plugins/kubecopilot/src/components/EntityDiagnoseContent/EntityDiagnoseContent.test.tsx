import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityEvent } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import {
  backendError,
  checkoutEntity,
  mockKubecopilotApi,
  workload,
  workloadsResponse,
} from '../../__testUtils__/fixtures';
import { diagnosis } from '../DiagnosisCard/__testUtils__/diagnoses';
import { linkedDiagnosis } from '../DiagnosisCard/__testUtils__/linkedDiagnosis';
import { EntityDiagnoseContent } from './EntityDiagnoseContent';

function render(
  api: ReturnType<typeof mockKubecopilotApi>,
  diagnoses: ReturnType<typeof diagnosis>[] = [],
  events: EntityEvent[] = [],
) {
  api.listDiagnoses.mockResolvedValue({ items: diagnoses });
  // The events timeline below the diagnosis.
  api.getEvents.mockResolvedValue({
    entityRef: 'component:default/checkout',
    items: events,
    markers: [],
    truncated: false,
    errors: [],
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={checkoutEntity}>
        <EntityDiagnoseContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityDiagnoseContent', () => {
  it('shows the latest diagnosis above the workloads', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(workloadsResponse());
    await render(api, [diagnosis()]);

    const summary = await screen.findByRole('heading', {
      name: 'checkout is crash-looping on a missing DATABASE_URL',
    });
    const workloads = await screen.findByText('Workloads');
    expect(api.listDiagnoses).toHaveBeenCalledWith(
      'component:default/checkout',
      10,
    );
    expect(
      // eslint-disable-next-line no-bitwise
      summary.compareDocumentPosition(workloads) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it('shows the events timeline between the diagnosis and the workloads', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(workloadsResponse());
    const now = new Date().toISOString();
    await render(
      api,
      [diagnosis()],
      [
        {
          uid: 'e1',
          cluster: 'demo',
          namespace: 'shop',
          object: { kind: 'Pod', name: 'checkout-zfglkrn22-q8mcz' },
          container: 'checkout',
          type: 'Warning',
          reason: 'BackOff',
          message: 'Back-off restarting failed container checkout',
          count: 163,
          firstTime: now,
          lastTime: now,
        },
      ],
    );
    const summary = await screen.findByRole('heading', {
      name: 'checkout is crash-looping on a missing DATABASE_URL',
    });
    const event = await screen.findByText(
      'Back-off restarting failed container checkout',
    );
    const workloads = await screen.findByText('Workloads');
    expect(api.getEvents).toHaveBeenCalledWith(
      'component:default/checkout',
      {},
    );
    /* eslint-disable no-bitwise */
    expect(
      summary.compareDocumentPosition(event) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(
      event.compareDocumentPosition(workloads) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    /* eslint-enable no-bitwise */
  });

  it('leads the tab with the cause: the headline, then the crash with its symptoms under it', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(workloadsResponse());
    await render(api, [linkedDiagnosis()]);

    expect(await screen.findByTestId('diagnosis-headline')).toHaveTextContent(
      'checkout is down: 2.3.1 exits because PAYMENT_GATEWAY_URL is not set',
    );
    const cause = within(
      screen.getByRole('region', { name: 'finding CrashLoopBackOff' }),
    );
    expect(
      cause.getByText(
        'A restart alone will not help: the container exits the same way after every restart.',
      ),
    ).toBeInTheDocument();
    expect(
      // Folded under its cause until opened.
      cause.getByText(
        'Deployment shop/checkout has no available replicas (0 of 1): it serves no traffic.',
      ),
    ).not.toBeVisible();
    // The symptom is not listed again as a finding of its own.
    expect(
      screen.queryByRole('region', { name: 'finding DeploymentUnavailable' }),
    ).toBeNull();
  });

  it('shows progress while the workloads load', async () => {
    const api = mockKubecopilotApi();
    await render(api);
    expect(screen.getByTestId('progress')).toBeInTheDocument();
    expect(api.getWorkloads).toHaveBeenCalledWith(
      'component:default/checkout',
      { relations: true },
    );
  });

  it('lists workloads of every cluster, each labelled with its cluster', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({
        clusters: ['demo', 'demo-eu'],
        workloads: [
          workload(),
          workload({
            cluster: 'demo-eu',
            ready: 2,
            desired: 2,
            restarts: 0,
            reasons: [],
            podPhases: { Running: 2 },
            images: ['ghcr.io/kubecopilot/checkout:1.4.1'],
          }),
        ],
      }),
    );
    await render(api);

    expect(await screen.findByText('Workloads')).toBeInTheDocument();
    expect(
      screen.getByText('From clusters: demo, demo-eu'),
    ).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);

    const crashing = within(
      rows.find(r => within(r).queryByLabelText('cluster demo'))!,
    );
    expect(crashing.getByText('checkout')).toBeInTheDocument();
    expect(crashing.getByText('Deployment · shop')).toBeInTheDocument();
    expect(crashing.getByText('0/2 ready')).toBeInTheDocument();
    expect(crashing.getByText('2 Running')).toBeInTheDocument();
    expect(crashing.getByText('14')).toBeInTheDocument();
    expect(crashing.getByText('CrashLoopBackOff')).toBeInTheDocument();
    expect(crashing.getByTitle('Failing')).toBeInTheDocument();
    expect(
      crashing.getByText('ghcr.io/kubecopilot/checkout:1.4.2'),
    ).toBeInTheDocument();

    const healthy = within(
      rows.find(r => within(r).queryByLabelText('cluster demo-eu'))!,
    );
    expect(healthy.getByText('2/2 ready')).toBeInTheDocument();
    expect(healthy.getByTitle('Healthy')).toBeInTheDocument();
    expect(screen.queryByText(/could not be read/)).not.toBeInTheDocument();
  });

  it('names each cluster that could not be read next to the partial result', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({
        clusters: ['demo'],
        errors: [
          { cluster: 'demo-eu', message: 'connect ECONNREFUSED 10.0.0.7:6443' },
        ],
      }),
    );
    await render(api);

    expect(
      await screen.findByText('Warning: Cluster demo-eu could not be read'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/connect ECONNREFUSED 10\.0\.0\.7:6443/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('cluster demo')).toBeInTheDocument();
  });

  it('counts the clusters when several could not be read', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({
        clusters: [],
        workloads: [],
        errors: [
          { cluster: 'demo', message: 'timed out after 10000 ms' },
          { cluster: 'demo-eu', message: 'certificate has expired' },
        ],
      }),
    );
    await render(api);

    expect(
      await screen.findByText(
        'Warning: 2 clusters could not be read: demo, demo-eu',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('No workloads found')).toBeInTheDocument();
  });

  it('shows the backend error and retries on request', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockRejectedValueOnce(
      await backendError(
        404,
        'NotFoundError',
        'No entity named component:default/checkout',
      ),
    );
    await render(api);

    expect(
      await screen.findByText('Error: Could not load the workloads'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/No entity named component:default\/checkout/)[0],
    ).toBeInTheDocument();

    api.getWorkloads.mockResolvedValueOnce(workloadsResponse());
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('CrashLoopBackOff')).toBeInTheDocument();
    expect(api.getWorkloads).toHaveBeenCalledTimes(2);
  });

  it('explains an empty result and names the clusters searched', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({ clusters: ['demo'], workloads: [] }),
    );
    await render(api);

    expect(await screen.findByText('No workloads found')).toBeInTheDocument();
    expect(
      screen.getByText(
        /Nothing in clusters demo belongs to component:default\/checkout/,
      ),
    ).toBeInTheDocument();
  });

  it('reloads the workloads with the refresh button', async () => {
    const api = mockKubecopilotApi();
    api.getWorkloads.mockResolvedValueOnce(workloadsResponse());
    await render(api);
    expect(await screen.findByText('CrashLoopBackOff')).toBeInTheDocument();

    api.getWorkloads.mockResolvedValueOnce(
      workloadsResponse({
        workloads: [workload({ ready: 2, reasons: [], restarts: 14 })],
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByTitle('Healthy')).toBeInTheDocument();
    expect(screen.queryByText('CrashLoopBackOff')).not.toBeInTheDocument();
    expect(api.getWorkloads).toHaveBeenCalledTimes(2);
  });
});
