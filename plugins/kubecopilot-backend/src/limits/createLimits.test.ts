import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { createLimits } from './createLimits';
import { DatabaseLlmUsageStore, utcDay } from './DatabaseLlmUsageStore';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('createLimits', () => {
  it('builds the limits from config and schedules the daily cleanup of old usage rows', async () => {
    const knex = await databases.init('SQLITE_3');
    const database = mockServices.database({ knex });
    const scheduler = mockServices.scheduler.mock();
    const limits = await createLimits({
      config: new ConfigReader({
        kubecopilot: { limits: { maxBodyBytes: 2048, llmTokensPerUserPerDay: 5 } },
      }),
      cache: mockServices.cache.mock(),
      httpAuth: mockServices.httpAuth(),
      database,
      logger: mockServices.logger.mock(),
      scheduler,
    });
    expect(limits.maxBodyBytes).toBe(2048);
    expect(limits.llmBudget.tokensPerUserPerDay).toBe(5);
    expect(Object.keys(limits.rateLimits).sort()).toEqual(['diagnoses', 'plans', 'query']);

    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock.calls[0][0] as SchedulerServiceTaskScheduleDefinition & {
      fn: () => Promise<void>;
    };
    expect(task).toMatchObject({ id: 'kubecopilot-llm-usage-cleanup', frequency: { hours: 24 } });

    const store = await DatabaseLlmUsageStore.create({ database, skipMigrations: true });
    const day = (daysAgo: number) => utcDay(new Date(Date.now() - daysAgo * 86_400_000));
    await store.add('user:default/alice', day(91), 10);
    await store.add('user:default/alice', day(89), 20);
    await task.fn();
    await expect(store.spent('user:default/alice', day(91))).resolves.toBe(0);
    await expect(store.spent('user:default/alice', day(89))).resolves.toBe(20);
  });
});
