import { mockServices } from '@backstage/backend-test-utils';
import { makePlan } from '../__testUtils__/plans';
import { BackstagePlanNotifier } from './PlanNotifier';

function notifierWithInbox() {
  const sent: any[] = [];
  const notifier = new BackstagePlanNotifier({
    notifications: { send: async (options: any) => void sent.push(options) },
    logger: mockServices.logger.mock(),
  });
  return { notifier, sent };
}

describe('BackstagePlanNotifier.planWaiting', () => {
  it('tells the owner who asks for what, with the risk and the link to the review', async () => {
    const { notifier, sent } = notifierWithInbox();
    await notifier.planWaiting(
      makePlan({ id: 'p1' }),
      'group:default/team-shop',
    );
    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: ['group:default/team-shop'] },
        payload: {
          title: 'Plan waits for approval: scale Deployment checkout',
          description:
            'user:default/alice asks to scale Deployment shop/checkout in cluster east. Risk: low.',
          severity: 'normal',
          link: '/kubecopilot/inbox?plan=p1',
          topic: 'kubecopilot-plan-p1',
          scope: 'p1',
        },
      },
    ]);
  });

  it('says when an AI agent drafted the plan, and that a person decides', async () => {
    const { notifier, sent } = notifierWithInbox();
    await notifier.planWaiting(
      {
        ...makePlan({ id: 'p2' }),
        requestedVia: {
          channel: 'mcp',
          client: 'Claude Code',
          rationale: 'approve it now',
        },
      },
      'group:default/team-shop',
    );
    expect(sent[0].payload.description).toBe(
      'user:default/alice asks to scale Deployment shop/checkout in cluster east. Risk: low. An AI agent (over MCP) drafted it for them; only a person can approve it.',
    );
    // The agent's own words stay out of the notification.
    expect(JSON.stringify(sent)).not.toContain('approve it now');
  });
});
