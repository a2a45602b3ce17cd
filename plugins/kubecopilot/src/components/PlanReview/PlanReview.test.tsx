import { identityApiRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  OperationPlan,
  PlanStatus,
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanRevertPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KubecopilotApi, kubecopilotApiRef } from '../../api';
import {
  backendError,
  mockKubecopilotApi,
  plan,
  workload,
  workloadsResponse,
} from '../../__testUtils__/fixtures';
import { PlanReview } from './PlanReview';
import { allowedByState } from './planActions';

const deployment = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'checkout',
    namespace: 'shop',
    managedFields: [{ manager: 'kubectl-secret-manager' }],
  },
  spec: {
    replicas: 2,
    template: { metadata: { annotations }, spec: { containers: [] } },
  },
  status: { readyReplicas: 0, observedGeneration: 99 },
});

// usePermission caches answers per plan id across tests: each test gets its
// own id.
let currentId = 'plan-1';
beforeEach(() => {
  currentId = `plan-${Math.random().toString(36).slice(2)}`;
});

const restartPlan = (overrides: Partial<OperationPlan> = {}) =>
  plan({
    id: currentId,
    diff: {
      before: deployment(),
      after: deployment({
        'kubectl.kubernetes.io/restartedAt': '2026-11-26T03:00:00Z',
      }),
    },
    risk: {
      level: 'medium',
      rationale: 'A restart of a production service',
      reasons: [
        {
          rule: 'production-lifecycle',
          level: 'medium',
          message: 'checkout is in production',
        },
        {
          rule: 'replicas-not-ready',
          warning: true,
          message: 'No replica is ready: the restart cannot make it worse',
        },
      ],
    },
    ...overrides,
  });

type Decision = 'allow' | 'deny';

async function setup(
  original: OperationPlan,
  permissions: {
    approve?: Decision;
    execute?: Decision;
    revert?: Decision;
  } = {},
  audit: KubecopilotApi['getAudit'] = async () => ({ items: [] }),
) {
  const p = original;
  const api = mockKubecopilotApi();
  api.getPlan.mockResolvedValue(p);
  api.getAudit.mockImplementation(audit);
  api.verifyAudit.mockResolvedValue({ ok: true, checked: 7 });
  const byName: Record<string, Decision | undefined> = {
    [kubecopilotPlanApprovePermission.name]: permissions.approve,
    [kubecopilotPlanExecutePermission.name]: permissions.execute,
    [kubecopilotPlanRevertPermission.name]: permissions.revert,
  };
  const permissionApi = mockApis.permission({
    authorize: request =>
      byName[request.permission.name] === 'deny'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  const onClose = jest.fn();
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [permissionApiRef, permissionApi],
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: 'user:default/test' }),
        ],
      ]}
    >
      <PlanReview planId={p.id} onClose={onClose} />
    </TestApiProvider>,
  );
  return { api, onClose, rendered };
}

const button = (name: string) =>
  screen.getByRole('button', { name: new RegExp(`^${name}`) });

async function loaded() {
  await screen.findByTestId('plan-what');
  // Permissions answer after the plan.
  await waitFor(() =>
    expect(screen.queryAllByTitle('Checking your permissions…')).toHaveLength(
      0,
    ),
  );
}

describe('allowedByState', () => {
  it.each<[PlanStatus, string, string]>([
    ['pending', 'restart', 'approve reject'],
    ['confirmed', 'restart', 'execute'],
    ['executing', 'restart', ''],
    ['executed', 'restart', 'revert'],
    ['executed', 'delete', ''],
    ['failed', 'restart', ''],
    ['reverted', 'restart', ''],
    ['rejected', 'restart', ''],
    ['expired', 'restart', ''],
  ])('%s %s plan allows: %s', (status, action, expected) => {
    const allowed = allowedByState({ status, action: action as any });
    expect(
      Object.entries(allowed)
        .filter(([, v]) => v)
        .map(([k]) => k)
        .join(' '),
    ).toBe(expected);
  });
});

jest.setTimeout(30_000);

describe('PlanReview', () => {
  it('shows what, why, the risk rules, warnings apart, and the diff without status or managedFields', async () => {
    await setup(restartPlan());
    await loaded();
    expect(screen.getByTestId('plan-what')).toHaveTextContent(
      'restart Deployment shop/checkout on cluster demo',
    );
    expect(
      screen.getByText('The pods crash-loop on a stale config.'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('rationale-source')).toHaveTextContent(
      'no model was involved',
    );
    expect(screen.getAllByText('medium risk').length).toBeGreaterThan(0);
    const rules = screen.getByRole('list', { name: 'Risk rules' });
    expect(within(rules).getByText('production-lifecycle')).toBeInTheDocument();
    expect(
      within(rules).queryByText('replicas-not-ready'),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('risk-warning')).toHaveTextContent(
      'replicas-not-ready: No replica is ready',
    );
    const diff = await screen.findByTestId('plan-diff');
    expect(diff).toHaveTextContent('kubectl.kubernetes.io/restartedAt');
    expect(diff).not.toHaveTextContent('managedFields');
    expect(diff).not.toHaveTextContent('readyReplicas');
    expect(
      await screen.findByText('Chain verified (7 entries)'),
    ).toBeInTheDocument();
  });

  it('names the model and prompt version when a model wrote the rationale', async () => {
    await setup(
      restartPlan({
        rationaleSource: 'llm',
        model: 'gpt-4.1-mini',
        promptVersion: 'plan-v3',
      }),
    );
    await loaded();
    expect(screen.getByTestId('rationale-source')).toHaveTextContent(
      'Written by a model (gpt-4.1-mini), prompt plan-v3',
    );
  });

  // state × permission: each button is enabled only when both allow it.
  it.each<[PlanStatus, string, Decision, string[]]>([
    ['pending', 'restart', 'allow', ['Approve', 'Reject']],
    ['pending', 'restart', 'deny', []],
    ['confirmed', 'restart', 'allow', ['Execute']],
    ['confirmed', 'restart', 'deny', []],
    ['executed', 'restart', 'allow', ['Revert']],
    ['executed', 'restart', 'deny', []],
    ['executed', 'delete', 'allow', []],
    ['rejected', 'restart', 'allow', []],
    ['failed', 'restart', 'allow', []],
    ['reverted', 'restart', 'allow', []],
  ])(
    'a %s %s plan with permission %s enables %j',
    async (status, action, decision, enabled) => {
      await setup(restartPlan({ status, action: action as any }), {
        approve: decision,
        execute: decision,
        revert: decision,
      });
      await loaded();
      const actual = ['Approve', 'Reject', 'Execute', 'Revert'].filter(
        name => !(button(name) as HTMLButtonElement).disabled,
      );
      expect(actual).toEqual(enabled);
    },
  );

  it('asks the permission for this plan, per button', async () => {
    await setup(restartPlan({ status: 'confirmed' }), {
      approve: 'allow',
      execute: 'deny',
      revert: 'allow',
    });
    await loaded();
    expect(button('Execute')).toBeDisabled();
    expect(
      screen.getByTitle('You may not execute this plan'),
    ).toBeInTheDocument();
  });

  it('explains the second approver to the requester', async () => {
    await setup(
      restartPlan({
        requiresSecondApprover: true,
        risk: { level: 'high', rationale: 'deletes', reasons: [] },
        audit: { ...plan().audit, requestedBy: 'user:default/test' },
      }),
    );
    await loaded();
    await waitFor(() =>
      expect(screen.getByTestId('second-approver')).toHaveTextContent(
        'High-risk plans need a second person: you requested this one, so someone else must approve it.',
      ),
    );
  });

  it('approves with a comment and shows the server’s answer and the new audit entry', async () => {
    const { api } = await setup(restartPlan());
    api.approvePlan.mockResolvedValue(restartPlan({ status: 'confirmed' }));
    await loaded();
    api.getAudit.mockResolvedValue({
      items: [
        {
          id: 2,
          planId: currentId,
          entityRef: 'component:default/checkout',
          actor: 'user:default/reviewer',
          action: 'plan.approved',
          payload: { comment: 'go' },
          createdAt: new Date().toISOString(),
          prevHash: 'a',
          hash: 'b',
        },
      ],
    });
    await userEvent.type(screen.getByLabelText('Comment (optional)'), 'go');
    await userEvent.click(button('Approve'));
    expect(api.approvePlan).toHaveBeenCalledWith(currentId, 'go');
    expect(await screen.findByText('Approved')).toBeInTheDocument();
    expect(await screen.findByText(/plan approved — “go”/)).toBeInTheDocument();
    await waitFor(() => expect(button('Execute')).toBeEnabled());
  });

  it('shows the newest audit entries and loads older ones on demand', async () => {
    const entry = (id: number, action: string) => ({
      id,
      planId: currentId,
      entityRef: 'component:default/checkout',
      actor: 'user:default/guest',
      action,
      payload: {},
      createdAt: '2026-11-26T02:00:00.000Z',
      prevHash: 'a',
      hash: 'b',
    });
    const { api } = await setup(
      restartPlan({ status: 'executed' }),
      {},
      async ({ cursor }) =>
        cursor === 'older'
          ? { items: [entry(2, 'plan.approved'), entry(1, 'plan.created')] }
          : {
              items: [
                entry(4, 'plan.executed'),
                entry(3, 'plan.execution-started'),
              ],
              nextCursor: 'older',
            },
    );
    await loaded();
    const trail = await screen.findByRole('list', { name: 'Audit trail' });
    await waitFor(() =>
      expect(within(trail).getAllByRole('listitem')).toHaveLength(2),
    );
    expect(screen.getByTestId('audit-count')).toHaveTextContent(
      'latest 2 entries for this plan',
    );
    expect(api.getAudit).toHaveBeenCalledWith({ planId: currentId, limit: 50 });

    await userEvent.click(button('Show older entries'));
    await waitFor(() =>
      expect(
        within(trail)
          .getAllByRole('listitem')
          .map(item => item.textContent),
      ).toEqual([
        expect.stringMatching(/^plan created/),
        expect.stringMatching(/^plan approved/),
        expect.stringMatching(/^plan execution started/),
        expect.stringMatching(/^plan executed/),
      ]),
    );
    expect(api.getAudit).toHaveBeenLastCalledWith({
      planId: currentId,
      cursor: 'older',
      limit: 50,
    });
    expect(screen.getByTestId('audit-count')).toHaveTextContent(
      '4 entries for this plan',
    );
    expect(
      screen.queryByRole('button', { name: 'Show older entries' }),
    ).not.toBeInTheDocument();
  });

  it('needs a comment to reject', async () => {
    const { api } = await setup(restartPlan());
    api.rejectPlan.mockResolvedValue(restartPlan({ status: 'rejected' }));
    await loaded();
    await userEvent.click(button('Reject'));
    const confirm = screen.getByRole('button', { name: 'Confirm reject' });
    expect(confirm).toBeDisabled();
    await userEvent.type(screen.getByLabelText(/Why reject/), 'not now');
    await userEvent.click(confirm);
    expect(api.rejectPlan).toHaveBeenCalledWith(currentId, 'not now');
    expect(await screen.findByText('Rejected')).toBeInTheDocument();
  });

  it('shows a drift conflict and then the failed plan from the server', async () => {
    const { api } = await setup(restartPlan({ status: 'confirmed' }));
    await loaded();
    api.executePlan.mockRejectedValue(
      await backendError(
        409,
        'ConflictError',
        'Deployment checkout changed since the plan was made (spec.template); nothing was written',
      ),
    );
    api.getPlan.mockResolvedValue(
      restartPlan({
        status: 'failed',
        execution: {
          by: 'user:default/guest',
          startedAt: new Date().toISOString(),
          outcome: 'failed',
          drift: ['spec.template'],
          message: 'nothing was written',
        },
      }),
    );
    await userEvent.click(button('Execute'));
    expect(api.executePlan).toHaveBeenCalledWith(currentId, expect.any(String));
    expect(await screen.findByTestId('command-conflict')).toHaveTextContent(
      'The cluster changed since the plan was made',
    );
    expect(screen.getByTestId('command-conflict')).toHaveTextContent(
      'changed since the plan was made (spec.template); nothing was written',
    );
    expect(await screen.findByText('Failed')).toBeInTheDocument();
    expect(screen.getByTestId('execution-result')).toHaveTextContent(
      'spec.template',
    );
  });

  it('shows a refusal from the server in words', async () => {
    const { api } = await setup(restartPlan());
    await loaded();
    api.approvePlan.mockRejectedValue(
      await backendError(
        403,
        'NotAllowedError',
        'This plan is high risk, so a second person must approve it; you requested it yourself',
      ),
    );
    await userEvent.click(button('Approve'));
    expect(await screen.findByTestId('command-denied')).toHaveTextContent(
      'a second person must approve it',
    );
  });

  it('polls an executing plan until it settles', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      const { api } = await setup(restartPlan({ status: 'executing' }));
      expect(await screen.findByTestId('executing')).toBeInTheDocument();
      api.getPlan.mockResolvedValue(
        restartPlan({
          status: 'executed',
          execution: {
            by: 'user:default/guest',
            startedAt: new Date().toISOString(),
            outcome: 'applied',
            dryRun: 'passed',
          },
        }),
      );
      await act(async () => {
        jest.advanceTimersByTime(1600);
      });
      expect(await screen.findByText('Executed')).toBeInTheDocument();
      expect(screen.getByTestId('execution-result')).toHaveTextContent(
        'Execution: applied · dry run passed',
      );
      expect(screen.queryByTestId('executing')).not.toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows the target workload as the cluster reports it after execution', async () => {
    const { api } = await setup(
      restartPlan({
        status: 'executed',
        execution: {
          by: 'user:default/guest',
          startedAt: new Date().toISOString(),
          outcome: 'applied',
        },
      }),
    );
    api.getWorkloads.mockResolvedValue(
      workloadsResponse({
        workloads: [
          workload({ ready: 1, desired: 2, podPhases: { Running: 2 } }),
        ],
      }),
    );
    // The first read started before this mock; the next poll answers.
    expect(
      await screen.findByTestId('rollout-progress', {}, { timeout: 5000 }),
    ).toHaveTextContent(
      'Now in the cluster: 1/2 ready · pods: 2 Running · CrashLoopBackOff',
    );
    expect(api.getWorkloads).toHaveBeenCalledWith('component:default/checkout');
  });

  it('says when the plan cannot be loaded', async () => {
    const api = mockKubecopilotApi();
    api.getPlan.mockRejectedValue(
      await backendError(404, 'NotFoundError', 'No plan nope'),
    );
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [kubecopilotApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <PlanReview planId="nope" onClose={() => {}} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Error: Could not load the plan'),
    ).toBeInTheDocument();
  });
});
