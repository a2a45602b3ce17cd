import { identityApiRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  OperationPlan,
  PlanStep,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import { mockKubecopilotApi, plan } from '../../__testUtils__/fixtures';
import { PlanReview } from './PlanReview';

jest.setTimeout(30_000);

// usePermission caches answers per plan id across tests: each test gets its
// own id.
let currentId = 'plan-1';
beforeEach(() => {
  currentId = `canary-${Math.random().toString(36).slice(2)}`;
});

const at = (s: number) =>
  new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();

const canaryDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout-canary', namespace: 'shop' },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'ghcr.io/kubecopilot/checkout:2.4.0' },
        ],
      },
    },
  },
};

const errorRateGate = {
  metric: 'error rate',
  query:
    'sum(rate(http_requests_total{namespace="shop",deployment="checkout-canary",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="shop",deployment="checkout-canary"}[1m]))',
  operator: '<=' as const,
  threshold: 0.01,
  unit: 'ratio' as const,
  delaySeconds: 30,
  intervalSeconds: 10,
  samples: 3,
};

const latencyGate = {
  metric: 'p99 latency',
  query:
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{deployment="checkout-canary"}[1m])))',
  operator: '<=' as const,
  threshold: 0.5,
  unit: 'seconds' as const,
  delaySeconds: 30,
  intervalSeconds: 10,
  samples: 3,
};

function canarySteps(
  overrides: Record<string, Partial<PlanStep>> = {},
): PlanStep[] {
  const steps: PlanStep[] = [
    {
      id: 'create-canary',
      type: 'action',
      phase: 'rollout',
      title:
        'Create Deployment checkout-canary with 2.4.0: 1 replica(s) beside 9 stable ≈ 10% of pods (asked 10%)',
      action: 'create',
      diff: { before: null, after: canaryDeployment },
      risk: {
        level: 'low',
        rationale: 'low: [canary-share] about 10% of the pods run 2.4.0',
        reasons: [],
      },
      status: 'pending',
    },
    {
      id: 'gate-10-error-rate',
      type: 'gate',
      phase: 'rollout',
      title: "Check the canary's error rate at 10% (≤ 1%)",
      gate: errorRateGate,
      status: 'pending',
    },
    {
      id: 'gate-10-p99-latency',
      type: 'gate',
      phase: 'rollout',
      title: "Check the canary's p99 latency at 10% (≤ 500 ms)",
      gate: latencyGate,
      status: 'pending',
    },
    {
      id: 'confirm-promotion',
      type: 'approval',
      phase: 'rollout',
      title: 'Confirm promotion of 2.4.0 to every pod of checkout',
      status: 'pending',
    },
    {
      id: 'promote',
      type: 'action',
      phase: 'rollout',
      title: 'Promote: update Deployment checkout (container app) to 2.4.0',
      action: 'update',
      status: 'pending',
    },
    {
      id: 'rollback-restore-stable',
      type: 'action',
      phase: 'rollback',
      title: 'Rollback: put Deployment checkout back on 2.3.1',
      action: 'update',
      undoes: ['promote'],
      status: 'pending',
    },
    {
      id: 'rollback-remove-canary',
      type: 'action',
      phase: 'rollback',
      title: 'Rollback: delete the canary Deployment checkout-canary',
      action: 'delete',
      undoes: ['create-canary'],
      status: 'pending',
    },
  ];
  return steps.map(s => ({ ...s, ...overrides[s.id] }));
}

const canaryPlan = (overrides: Partial<OperationPlan> = {}) =>
  plan({
    id: currentId,
    action: 'canary',
    params: { image: '2.4.0', steps: [10, 100] },
    intent:
      'canary checkout to image 2.4.0 at 10%, rollback if error rate > 1% or p99 > 500 ms',
    steps: canarySteps(),
    ...overrides,
  });

// Ten seconds in: the canary exists, the error-rate gate passed, the
// latency gate is sampling.
const runningSteps = canarySteps({
  'create-canary': {
    status: 'succeeded',
    startedAt: at(0),
    finishedAt: at(2),
    result: 'created checkout-canary (resourceVersion 812)',
  },
  'gate-10-error-rate': {
    status: 'succeeded',
    startedAt: at(2),
    finishedAt: at(62),
    result: 'error rate 0.4%, no data, 0.6% — passed',
    measurements: [
      { at: at(32), value: 0.004, passed: true },
      { at: at(42), value: null, passed: null },
      { at: at(52), value: 0.006, passed: true },
    ],
  },
  'gate-10-p99-latency': {
    status: 'running',
    startedAt: at(62),
    measurements: [{ at: at(92), value: 0.42, passed: true }],
  },
});

const pausedSteps = canarySteps({
  'create-canary': { status: 'succeeded' },
  'gate-10-error-rate': { status: 'succeeded' },
  'gate-10-p99-latency': { status: 'succeeded' },
  'confirm-promotion': { status: 'waiting', startedAt: at(120) },
});

async function setup(
  original: OperationPlan,
  options: { me?: string; signals?: SignalApi } = {},
) {
  const api = mockKubecopilotApi();
  api.getPlan.mockResolvedValue(original);
  api.getAudit.mockResolvedValue({ items: [] });
  api.verifyAudit.mockResolvedValue({ ok: true, checked: 3 });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: () => AuthorizeResult.ALLOW }),
        ],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: options.me ?? 'user:default/reviewer',
          }),
        ],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ]}
    >
      <PlanReview planId={original.id} onClose={() => {}} />
    </TestApiProvider>,
  );
  await screen.findByTestId('plan-what');
  await waitFor(() =>
    expect(screen.queryAllByTitle('Checking your permissions…')).toHaveLength(
      0,
    ),
  );
  return { api };
}

const button = (name: string) =>
  screen.getByRole('button', { name: new RegExp(`^${name}$`) });

function fakeSignals() {
  let deliver: (message: any) => void = () => {};
  const signals: SignalApi = {
    subscribe: (_channel, onMessage) => {
      deliver = onMessage;
      return { unsubscribe: () => {} };
    },
  };
  return { signals, deliver: (message: any) => deliver(message) };
}

describe('PlanReview of a multi-step (canary) plan', () => {
  it('lists the rollout steps with their status, results, gates in words and measurements', async () => {
    await setup(canaryPlan({ status: 'executing', steps: runningSteps }));

    const rollout = screen.getByLabelText('Rollout steps');
    const titles = within(rollout)
      .getAllByTestId(/^plan-step-/)
      .map(el => el.getAttribute('data-testid'));
    expect(titles).toEqual([
      'plan-step-create-canary',
      'plan-step-gate-10-error-rate',
      'plan-step-gate-10-p99-latency',
      'plan-step-confirm-promotion',
      'plan-step-promote',
    ]);

    const created = screen.getByTestId('plan-step-create-canary');
    expect(within(created).getByText('Succeeded')).toBeInTheDocument();
    // The step's own risk.
    expect(within(created).getByText('low risk')).toBeInTheDocument();
    expect(created).toHaveTextContent(
      'created checkout-canary (resourceVersion 812)',
    );
    expect(within(created).getByTestId('step-timing')).toHaveTextContent(
      'took 2 s',
    );

    const errorRate = screen.getByTestId('plan-step-gate-10-error-rate');
    expect(errorRate).toHaveTextContent(
      'Passes when error rate ≤ 1% · 3 samples 10 s apart, after 30 s',
    );
    const samples = within(errorRate).getByRole('table', {
      name: 'Measurements: error rate',
    });
    const rows = within(samples)
      .getAllByRole('row')
      .slice(1)
      .map(row =>
        within(row)
          .getAllByRole('cell')
          .slice(1)
          .map(cell => cell.textContent),
      );
    expect(rows).toEqual([
      ['0.4%', 'pass'],
      ['no data', 'inconclusive'],
      ['0.6%', 'pass'],
    ]);
    expect(errorRate).toHaveTextContent('3 of 3 samples');

    const latency = screen.getByTestId('plan-step-gate-10-p99-latency');
    expect(within(latency).getByText('Running')).toBeInTheDocument();
    expect(latency).toHaveTextContent('p99 latency ≤ 500 ms');
    expect(
      within(latency).getByRole('table', { name: 'Measurements: p99 latency' }),
    ).toHaveTextContent('420 ms');
    expect(latency).toHaveTextContent('1 of 3 samples');

    // The query is there to read, folded away until asked for.
    expect(within(latency).queryByTestId('gate-query')).not.toBeInTheDocument();
    await userEvent.click(
      within(latency).getByRole('button', { name: 'Show query' }),
    );
    expect(within(latency).getByTestId('gate-query')).toHaveTextContent(
      'histogram_quantile(0.99',
    );

    // An action step shows its own diff on demand.
    await userEvent.click(
      within(created).getByRole('button', { name: 'Show the change' }),
    );
    expect(await within(created).findByTestId('plan-diff')).toHaveTextContent(
      'checkout-canary',
    );

    // Progress: step 3 of the 5 rollout steps.
    expect(screen.getByTestId('steps-progress')).toHaveTextContent(
      "Rollout: step 3 of 5 — Check the canary's p99 latency at 10% (≤ 500 ms)",
    );
    expect(
      screen.getByRole('progressbar', { name: /step 3 of 5/ }),
    ).toBeInTheDocument();

    // Rollback steps did not run: folded away.
    expect(screen.getByTestId('rollback-steps')).toHaveTextContent(
      'Rollback (2 steps)',
    );
    expect(
      screen.queryByText('Rollback: put Deployment checkout back on 2.3.1'),
    ).not.toBeInTheDocument();
  });

  it('shows a failed gate, the rollback that ran and the reason it rolled back', async () => {
    const error =
      "Check the canary's error rate at 10% (≤ 1%) failed: error rate 3.2% > 1%";
    await setup(
      canaryPlan({
        status: 'failed',
        error,
        execution: {
          by: 'user:default/reviewer',
          startedAt: at(0),
          finishedAt: at(90),
          outcome: 'rolled-back',
        },
        steps: canarySteps({
          'create-canary': { status: 'succeeded' },
          'gate-10-error-rate': {
            status: 'failed',
            result: 'error rate 3.2% > 1%',
            measurements: [{ at: at(32), value: 0.032, passed: false }],
          },
          'gate-10-p99-latency': { status: 'skipped' },
          'confirm-promotion': { status: 'skipped' },
          promote: { status: 'skipped' },
          'rollback-restore-stable': { status: 'skipped' },
          'rollback-remove-canary': {
            status: 'succeeded',
            result: 'deleted checkout-canary',
          },
        }),
      }),
    );
    expect(screen.getByTestId('rolled-back')).toHaveTextContent(
      `Rolled back: ${error}`,
    );
    const gate = screen.getByTestId('plan-step-gate-10-error-rate');
    expect(within(gate).getByText('Failed')).toBeInTheDocument();
    expect(
      within(gate).getByRole('table', { name: 'Measurements: error rate' }),
    ).toHaveTextContent('3.2%fail');
    const rollback = screen.getByLabelText('Rollback steps');
    expect(
      within(rollback).getByTestId('plan-step-rollback-remove-canary'),
    ).toHaveTextContent('deleted checkout-canary');
    expect(screen.getByTestId('execution-result')).toHaveTextContent(
      'Execution: rolled back',
    );
  });

  it('offers confirm and decline to another user when the plan waits for promotion', async () => {
    await setup(canaryPlan({ status: 'paused', steps: pausedSteps }), {
      me: 'user:default/reviewer',
    });
    expect(screen.getByTestId('awaiting-promotion')).toHaveTextContent(
      'Confirm promotion of 2.4.0 to every pod of checkout',
    );
    expect(
      within(screen.getByTestId('plan-step-confirm-promotion')).getByText(
        'Waiting for confirmation',
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(button('Confirm promotion')).toBeEnabled());
    expect(button('Decline')).toBeEnabled();
  });

  it('keeps the requester of a second-approver plan from confirming, and says why', async () => {
    await setup(
      canaryPlan({
        status: 'paused',
        steps: pausedSteps,
        requiresSecondApprover: true,
        risk: { level: 'high', rationale: 'production rollout', reasons: [] },
      }),
      { me: 'user:default/guest' },
    );
    const reason =
      'High-risk plans need a second person: you requested this one, so someone else must confirm its promotion';
    await waitFor(() => expect(screen.getByTitle(reason)).toBeInTheDocument());
    expect(button('Confirm promotion')).toBeDisabled();
    expect(button('Decline')).toBeEnabled();
    expect(screen.getByTestId('second-approver')).toHaveTextContent(
      'someone else must confirm its promotion',
    );
  });

  it('confirms the promotion and shows the resumed plan', async () => {
    const { api } = await setup(
      canaryPlan({ status: 'paused', steps: pausedSteps }),
    );
    api.confirmStep.mockResolvedValue(
      canaryPlan({
        status: 'executing',
        steps: canarySteps({
          'create-canary': { status: 'succeeded' },
          'gate-10-error-rate': { status: 'succeeded' },
          'gate-10-p99-latency': { status: 'succeeded' },
          'confirm-promotion': {
            status: 'succeeded',
            by: 'user:default/reviewer',
            result: 'confirmed by user:default/reviewer: ship it',
          },
          promote: { status: 'running' },
        }),
      }),
    );
    await waitFor(() => expect(button('Confirm promotion')).toBeEnabled());
    await userEvent.type(
      screen.getByLabelText('Comment (optional)'),
      'ship it',
    );
    await userEvent.click(button('Confirm promotion'));
    expect(api.confirmStep).toHaveBeenCalledWith(
      currentId,
      'confirm-promotion',
      'ship it',
    );
    expect(await screen.findByTestId('executing')).toBeInTheDocument();
    expect(screen.getByTestId('plan-step-confirm-promotion')).toHaveTextContent(
      'confirmed by user:default/reviewer: ship it',
    );
    expect(
      screen.queryByRole('button', { name: /^Confirm promotion$/ }),
    ).not.toBeInTheDocument();
  });

  it('needs a reason to decline the promotion', async () => {
    const { api } = await setup(
      canaryPlan({ status: 'paused', steps: pausedSteps }),
    );
    api.declineStep.mockResolvedValue(
      canaryPlan({
        status: 'failed',
        error: 'user:default/reviewer declined: p99 too close to the limit',
        execution: {
          by: 'user:default/guest',
          startedAt: at(0),
          outcome: 'rolled-back',
        },
        steps: pausedSteps,
      }),
    );
    await waitFor(() => expect(button('Decline')).toBeEnabled());
    await userEvent.click(button('Decline'));
    const confirm = screen.getByRole('button', { name: 'Confirm decline' });
    expect(confirm).toBeDisabled();
    await userEvent.type(
      screen.getByLabelText(/Why decline the promotion/),
      'p99 too close to the limit',
    );
    await userEvent.click(confirm);
    expect(api.declineStep).toHaveBeenCalledWith(
      currentId,
      'confirm-promotion',
      'p99 too close to the limit',
    );
    expect(await screen.findByTestId('rolled-back')).toHaveTextContent(
      'Rolled back: user:default/reviewer declined: p99 too close to the limit',
    );
  });

  it('says the rollout started in the background when execute answers 202', async () => {
    const { api } = await setup(canaryPlan({ status: 'confirmed' }));
    api.executePlan.mockResolvedValue(
      canaryPlan({
        status: 'executing',
        steps: canarySteps({ 'create-canary': { status: 'running' } }),
      }),
    );
    await waitFor(() => expect(button('Execute')).toBeEnabled());
    await userEvent.click(button('Execute'));
    expect(await screen.findByTestId('rollout-started')).toHaveTextContent(
      'Rollout started — steps run in the background',
    );
    expect(screen.getByTestId('steps-progress')).toHaveTextContent(
      'Rollout: step 1 of 5',
    );
    expect(screen.queryByText('Executed')).not.toBeInTheDocument();
  });

  it('refetches an executing plan when a signal for it arrives, not for others', async () => {
    const { signals, deliver } = fakeSignals();
    const { api } = await setup(
      canaryPlan({ status: 'executing', steps: runningSteps }),
      { signals },
    );
    const calls = api.getPlan.mock.calls.length;
    api.getPlan.mockResolvedValue(
      canaryPlan({
        status: 'executing',
        revision: 5,
        steps: canarySteps({
          ...Object.fromEntries(runningSteps.map(s => [s.id, s])),
          'gate-10-p99-latency': {
            ...runningSteps[2],
            measurements: [
              { at: at(92), value: 0.42, passed: true },
              { at: at(102), value: 0.61, passed: false },
            ],
          },
        }),
      }),
    );

    act(() => deliver({ planId: 'another-plan', status: 'executing' }));
    expect(api.getPlan).toHaveBeenCalledTimes(calls);

    act(() => deliver({ planId: currentId, status: 'executing' }));
    await waitFor(() => expect(api.getPlan).toHaveBeenCalledTimes(calls + 1));
    expect(
      await screen.findByRole('table', { name: 'Measurements: p99 latency' }),
    ).toHaveTextContent('610 msfail');
  });

  it('polls an executing multi-step plan every 3 s until it finishes', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      const { api } = await setup(
        canaryPlan({ status: 'executing', steps: runningSteps }),
      );
      const calls = api.getPlan.mock.calls.length;
      await act(async () => {
        jest.advanceTimersByTime(1600);
      });
      expect(api.getPlan).toHaveBeenCalledTimes(calls);
      api.getPlan.mockResolvedValue(
        canaryPlan({
          status: 'executed',
          execution: {
            by: 'user:default/reviewer',
            startedAt: at(0),
            finishedAt: at(300),
            outcome: 'applied',
          },
          steps: canarySteps(
            Object.fromEntries(
              canarySteps().map(s => [
                s.id,
                { status: s.phase === 'rollback' ? 'skipped' : 'succeeded' },
              ]),
            ),
          ),
        }),
      );
      await act(async () => {
        jest.advanceTimersByTime(1500);
      });
      expect(await screen.findByText('Executed')).toBeInTheDocument();
      const after = api.getPlan.mock.calls.length;
      expect(after).toBe(calls + 1);
      await act(async () => {
        jest.advanceTimersByTime(6500);
      });
      expect(api.getPlan).toHaveBeenCalledTimes(after);
      expect(screen.queryByTestId('steps-progress')).not.toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });
});
