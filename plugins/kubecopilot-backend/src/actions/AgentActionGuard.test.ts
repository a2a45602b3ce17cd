import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { currentCaller, TooManyRequestsError } from '../limits';
import { AgentActionGuard, callerOf } from './AgentActionGuard';

function recordingAuditor() {
  const events: Array<{ options: any; outcome?: string; error?: Error }> = [];
  return {
    events,
    auditor: {
      async createEvent(options: any) {
        const event: (typeof events)[number] = { options };
        events.push(event);
        return {
          async success() {
            event.outcome = 'success';
          },
          async fail({ error }: { error: Error }) {
            event.outcome = 'fail';
            event.error = error;
          },
        };
      },
    },
  };
}

const viaMcp = (user: string) =>
  mockCredentials.user(user, { actor: { subject: 'plugin:mcp-actions' } });

function guardWith(limit = 2, enabled = true) {
  const { auditor, events } = recordingAuditor();
  const cache = mockServices.cache.mock();
  const store = new Map<string, unknown>();
  cache.get.mockImplementation(async (key: string) => store.get(key) as any);
  cache.set.mockImplementation(async (key: string, value: any) => {
    store.set(key, value);
  });
  const guard = new AgentActionGuard({
    auditor,
    cache,
    logger: mockServices.logger.mock(),
    config: new ConfigReader({
      kubecopilot: {
        limits: {
          rateLimit: { enabled, plans: { limit, windowSeconds: 60 } },
        },
      },
    }),
  });
  return { guard, events, store };
}

describe('callerOf', () => {
  it('names the user and the plugin that invoked the action for them', () => {
    expect(callerOf(viaMcp('user:default/alice'))).toEqual({
      principal: 'user:default/alice',
      principalType: 'user',
      invokedBy: 'plugin:mcp-actions',
      channel: 'mcp',
    });
    expect(callerOf(mockCredentials.user('user:default/bob'))).toEqual({
      principal: 'user:default/bob',
      principalType: 'user',
      channel: 'actions',
    });
    expect(
      callerOf(mockCredentials.service('plugin:mcp-actions')),
    ).toMatchObject({
      principal: 'plugin:mcp-actions',
      principalType: 'service',
      channel: 'mcp',
    });
    expect(() => callerOf(mockCredentials.none())).toThrow(NotAllowedError);
  });
});

describe('AgentActionGuard', () => {
  it('audits each call with the action, the principal and the client, and runs it as the caller', async () => {
    const { guard, events } = guardWith();
    const result = await guard.run(
      'draft-plan',
      viaMcp('user:default/alice'),
      {
        severityLevel: 'medium',
        meta: { client: 'Claude Code', entityRef: undefined },
      },
      async () => currentCaller(),
    );
    expect(result).toBe('user:default/alice');
    expect(events).toEqual([
      {
        options: {
          eventId: 'agent-action',
          severityLevel: 'medium',
          meta: {
            action: 'kubecopilot:draft-plan',
            principal: 'user:default/alice',
            invokedBy: 'plugin:mcp-actions',
            channel: 'mcp',
            client: 'Claude Code',
          },
        },
        outcome: 'success',
      },
    ]);
  });

  it('counts against the same per-caller budget as the HTTP route, and audits the refusal', async () => {
    const { guard, events, store } = guardWith(2);
    const alice = viaMcp('user:default/alice');
    const call = () =>
      guard.run('draft-plan', alice, { rateLimit: 'plans' }, async () => 'ok');
    await expect(call()).resolves.toBe('ok');
    await expect(call()).resolves.toBe('ok');
    await expect(call()).rejects.toBeInstanceOf(TooManyRequestsError);
    // The HTTP rate limiter's keys: `ratelimit:v1:<route>:<window>:<caller>`.
    expect([...store.keys()]).toEqual([
      expect.stringMatching(/^ratelimit:v1:plans:\d+:user:default\/alice$/),
    ]);
    expect(events.map(e => e.outcome)).toEqual(['success', 'success', 'fail']);
    expect(events[2].error?.message).toMatch(/Too many plans requests/);
    // Another user has a budget of their own.
    await expect(
      guard.run(
        'draft-plan',
        viaMcp('user:default/bob'),
        { rateLimit: 'plans' },
        async () => 'ok',
      ),
    ).resolves.toBe('ok');
  });

  it('refuses what only users may do to a service, before the work, and audits it', async () => {
    const { guard, events } = guardWith();
    const work = jest.fn();
    await expect(
      guard.run(
        'draft-plan',
        mockCredentials.service('plugin:mcp-actions'),
        { usersOnly: 'Only a signed-in user can draft plans' },
        work,
      ),
    ).rejects.toThrow('Only a signed-in user can draft plans');
    expect(work).not.toHaveBeenCalled();
    expect(events[0]).toMatchObject({ outcome: 'fail' });
  });

  it('counts nothing when the rate limit is off', async () => {
    const { guard, store } = guardWith(1, false);
    const alice = viaMcp('user:default/alice');
    for (let i = 0; i < 3; i++) {
      await guard.run(
        'draft-plan',
        alice,
        { rateLimit: 'plans' },
        async () => 'ok',
      );
    }
    expect(store.size).toBe(0);
  });
});
