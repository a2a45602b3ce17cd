import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { EntityReadAccess } from '../permissions/EntityReadAccess';
import { createFindings, FINDINGS_SCAN_TASK_ID } from './createFindings';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('createFindings', () => {
  it('schedules the scan once the backend has started, so its initial delay counts from then', async () => {
    const knex = await databases.init('SQLITE_3');
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    const hooks: Array<() => void | Promise<void>> = [];
    const createDiagnoses = jest.fn(async () => ({
      diagnose: jest.fn(),
      listDiagnoses: jest.fn(),
    }));
    const { scanner } = await createFindings({
      config: mockServices.rootConfig({
        data: {
          kubecopilot: {
            findings: {
              scan: {
                enabled: true,
                schedule: {
                  frequency: { minutes: 5 },
                  timeout: { minutes: 2 },
                  initialDelay: { seconds: 20 },
                },
              },
            },
          },
        },
      }),
      database: mockServices.database({ knex }),
      permissions: mockServices.permissions(),
      access: {} as EntityReadAccess,
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      scheduler,
      logger,
      createDiagnoses,
      lifecycle: { addStartupHook: hook => hooks.push(hook) },
    });
    expect(scanner).toBeDefined();
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();

    for (const hook of hooks) await hook();
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: FINDINGS_SCAN_TASK_ID,
        scope: 'global',
        initialDelay: { seconds: 20 },
      }),
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('warns when the heartbeat is not shorter than the diagnoses are kept', async () => {
    const knex = await databases.init('SQLITE_3');
    const logger = mockServices.logger.mock();
    await createFindings({
      config: mockServices.rootConfig({
        data: {
          kubecopilot: {
            findings: { scan: { enabled: true, recordEvery: { days: 7 } } },
            diagnoses: { retention: { maxAgeDays: 7 } },
          },
        },
      }),
      database: mockServices.database({ knex }),
      permissions: mockServices.permissions(),
      access: {} as EntityReadAccess,
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      scheduler: mockServices.scheduler.mock(),
      logger,
      createDiagnoses: async () => ({
        diagnose: jest.fn(),
        listDiagnoses: jest.fn(),
      }),
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'kubecopilot.findings.scan.recordEvery is not shorter than kubecopilot.diagnoses.retention.maxAgeDays (7 days)',
      ),
    );
  });
});
