import { identityApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  AuditEntry,
  OperationPlan,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { kubecopilotApiRef } from '../../api';
import { mockKubecopilotApi, plan } from '../../__testUtils__/fixtures';
import { PlanReview } from './PlanReview';
import { whatHeading } from './PlanDetails';
import { stateReason } from './planReasons';
import { KubecopilotT } from '../../translation';
import { tFor } from '../../__testUtils__/translationApi';

let t: KubecopilotT;
beforeAll(async () => {
  t = await tFor('en');
});

const deployment = (annotations?: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout', namespace: 'shop' },
  spec: {
    replicas: 1,
    template: {
      metadata: {
        labels: { app: 'checkout' },
        ...(annotations ? { annotations } : {}),
      },
      spec: { containers: [{ name: 'checkout', image: 'checkout:2.3.1' }] },
    },
  },
});

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
      rationale: 'medium: [production-lifecycle] checkout is in production',
      reasons: [
        {
          rule: 'production-lifecycle',
          level: 'medium',
          message: 'checkout is in production',
        },
      ],
    },
    ...overrides,
  });

const executed = (overrides: Partial<OperationPlan> = {}) =>
  restartPlan({
    status: 'executed',
    execution: {
      by: 'user:default/guest',
      startedAt: new Date().toISOString(),
      outcome: 'applied',
    },
    ...overrides,
  });

function entry(id: number, action: string): AuditEntry {
  return {
    id,
    planId: currentId,
    entityRef: 'component:default/checkout',
    actor: 'user:default/guest',
    action,
    payload: {},
    createdAt: new Date().toISOString(),
    prevHash: 'a',
    hash: 'b',
  } as AuditEntry;
}

async function setup(p: OperationPlan, audit: AuditEntry[] = []) {
  const api = mockKubecopilotApi();
  api.getPlan.mockResolvedValue(p);
  api.getAudit.mockResolvedValue({ items: audit });
  api.verifyAudit.mockResolvedValue({ ok: true, checked: 5 });
  api.getWorkloads.mockResolvedValue({
    entityRef: p.entityRef,
    clusters: ['demo'],
    workloads: [],
    errors: [],
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [kubecopilotApiRef, api],
        [permissionApiRef, mockApis.permission()],
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: 'user:default/test' }),
        ],
      ]}
    >
      <PlanReview planId={p.id} onClose={() => {}} />
    </TestApiProvider>,
  );
  await screen.findByTestId('plan-what');
  await waitFor(() =>
    expect(screen.queryAllByTitle('Checking your permissions…')).toHaveLength(
      0,
    ),
  );
  return api;
}

jest.setTimeout(30_000);

describe('PlanReview wording', () => {
  it('says the risk once, with its rules', async () => {
    await setup(restartPlan());
    expect(screen.getAllByText('medium risk')).toHaveLength(1);
    const rules = screen.getByRole('list', { name: 'Risk rules' });
    expect(rules).toHaveTextContent('production-lifecycle');
    expect(rules).toHaveTextContent('checkout is in production');
    // the engine's rationale only repeats the rules above
    expect(
      screen.queryByText(/^medium: \[production-lifecycle\]/),
    ).not.toBeInTheDocument();
  });

  it('says in words when no risk rule applies', async () => {
    await setup(
      restartPlan({
        risk: {
          level: 'low',
          rationale: 'low: no risk rule applies',
          reasons: [],
        },
      }),
    );
    expect(screen.getByTestId('risk-rationale')).toHaveTextContent(
      'No risk rule applies to this change.',
    );
    expect(screen.getAllByText('low risk')).toHaveLength(1);
  });

  it('speaks of the future before execution', async () => {
    await setup(restartPlan());
    expect(screen.getByText('What will be done')).toBeInTheDocument();
    const labels = await screen.findByTestId('plan-diff-labels');
    expect(labels).toHaveTextContent('Now in the cluster');
    expect(labels).toHaveTextContent('After the plan');
  });

  it('speaks in the past after execution', async () => {
    await setup(executed());
    expect(screen.getByText('What was done')).toBeInTheDocument();
    expect(screen.queryByText('What will be done')).not.toBeInTheDocument();
    const labels = await screen.findByTestId('plan-diff-labels');
    expect(labels).toHaveTextContent('Was in the cluster');
    expect(labels).toHaveTextContent(/Now$/);
    expect(labels).not.toHaveTextContent('Now in the cluster');
  });

  it('explains a greyed-out button in a human sentence', async () => {
    await setup(executed());
    expect(
      screen.getByTitle(
        'This plan has already been executed. A plan runs once; draft a new one to change the cluster again.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getAllByTitle(
        'This plan has already been executed: there is nothing left to decide.',
      ),
    ).toHaveLength(2);
    expect(screen.queryByTitle(/cannot be executed/)).not.toBeInTheDocument();
  });

  it('asks before reverting, saying what the revert does', async () => {
    const api = await setup(executed());
    api.revertPlan.mockResolvedValue(executed({ status: 'reverted' }));

    await userEvent.click(screen.getByRole('button', { name: 'Revert' }));
    const confirm = await screen.findByRole('dialog', {
      name: 'Revert this plan?',
    });
    expect(confirm).toHaveTextContent(
      'It puts the restart annotation of Deployment shop/checkout on cluster demo back as it was, which rolls its pods once more.',
    );
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Revert this plan?' }),
      ).not.toBeInTheDocument(),
    );
    expect(api.revertPlan).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Revert' }));
    await userEvent.click(
      within(
        await screen.findByRole('dialog', { name: 'Revert this plan?' }),
      ).getByRole('button', { name: 'Revert' }),
    );
    await waitFor(() => expect(api.revertPlan).toHaveBeenCalledWith(currentId));
  });

  it("counts the plan's own audit entries apart from the chain check", async () => {
    await setup(executed(), [entry(41, 'plan.created')]);
    expect(await screen.findByTestId('audit-count')).toHaveTextContent(
      '1 entry for this plan',
    );
    expect(screen.getByText('Chain verified (5 entries)')).toBeInTheDocument();
    expect(screen.queryByText(/entries checked/)).not.toBeInTheDocument();
  });

  it('shows audit and execution times in local time, with the ISO value in a title', async () => {
    const at = '2026-01-15T11:22:58.000Z';
    await setup(
      executed({
        execution: {
          by: 'user:default/guest',
          startedAt: at,
          outcome: 'applied',
        },
      }),
      [{ ...entry(41, 'plan.created'), createdAt: at }],
    );
    await screen.findByTestId('audit-count');
    const times = screen.getAllByText(new Date(at).toLocaleString());
    expect(times.length).toBe(2);
    for (const time of times) {
      expect(time).toHaveAttribute('title', expect.stringContaining(at));
    }
  });

  it('shows an approved plan with a check, not a spinner', async () => {
    await setup(restartPlan({ status: 'confirmed' }));
    expect(screen.getByText('Approved')).toBeInTheDocument();
    expect(screen.getByTestId('status-approved')).toBeInTheDocument();
    expect(screen.queryByTestId('status-running')).not.toBeInTheDocument();
  });
});

describe('stateReason and whatHeading', () => {
  it.each<[OperationPlan['status'], OperationPlan['action'], string, string]>([
    [
      'pending',
      'restart',
      'execute',
      'Someone must approve this plan before it can be executed.',
    ],
    [
      'pending',
      'restart',
      'revert',
      'Nothing to revert yet: this plan has not been executed.',
    ],
    ['confirmed', 'restart', 'approve', 'This plan is already approved.'],
    [
      'executed',
      'delete',
      'revert',
      'A delete cannot be undone: the object is gone, and its controller re-creates any pods it owned.',
    ],
    ['reverted', 'restart', 'revert', 'This plan has already been reverted.'],
    [
      'rejected',
      'restart',
      'revert',
      'Nothing to revert: this plan was never executed.',
    ],
    [
      'executing',
      'restart',
      'execute',
      'The plan is being executed right now; wait until it finishes.',
    ],
  ])('%s %s plan, %s: %s', (status, action, command, expected) => {
    expect(stateReason({ status, action }, command as any, t)).toBe(expected);
  });

  it('names the action in the tense of the plan', () => {
    expect(whatHeading({ status: 'pending' }, t)).toBe('What will be done');
    expect(whatHeading({ status: 'executed' }, t)).toBe('What was done');
    expect(whatHeading({ status: 'failed' }, t)).toBe('What was attempted');
    expect(whatHeading({ status: 'rejected' }, t)).toBe('What was proposed');
  });
});
