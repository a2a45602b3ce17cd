import { humanDuration } from './duration';
import { formatEndpoints, podStatusCells } from './printers';

describe('humanDuration', () => {
  it.each([
    [-5000, '<invalid>'],
    [59_000, '59s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [30 * 3600_000, '30h'],
    [3 * 86400_000 + 3600_000, '3d1h'],
    [40 * 86400_000, '40d'],
    [3 * 365 * 86400_000, '3y'],
  ])('%d ms -> %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
});

const pod = (status: any, spec: any = { containers: [{ name: 'a' }] }, metadata: any = {}) => ({ metadata: { name: 'p', ...metadata }, spec, status });

describe('pod STATUS as kubectl shows it', () => {
  const now = Date.now();
  it.each([
    [pod({ phase: 'Pending' }), 'Pending', '0/1'],
    [pod({ phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }] }), 'Running', '1/1'],
    [pod({ phase: 'Running', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }), 'CrashLoopBackOff', '0/1'],
    [pod({ phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] }), 'ExitCode:2', '0/1'],
    [pod({ phase: 'Running', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, signal: 9 } } }] }), 'Signal:9', '0/1'],
    [pod({ phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), 'Completed', '0/1'],
    [
      pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'PodInitializing' } } }] },
        { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] },
      ),
      'Init:0/1',
      '0/1',
    ],
    [
      pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
        { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] },
      ),
      'Init:CrashLoopBackOff',
      '0/1',
    ],
    [pod({ phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }] }, undefined, { deletionTimestamp: '2020-01-01T00:00:00Z' }), 'Terminating', '1/1'],
  ])('%#', (p, reason, ready) => {
    const cells = podStatusCells(p as any, now);
    expect([cells.reason, cells.ready]).toEqual([reason, ready]);
  });

  it('shows restarts with the time of the last one', () => {
    const finished = new Date(now - 125_000).toISOString();
    const cells = podStatusCells(
      pod({ phase: 'Running', containerStatuses: [{ name: 'a', restartCount: 4, lastState: { terminated: { finishedAt: finished } }, state: { running: {} } }] }) as any,
      now,
    );
    expect(cells.restarts).toBe('4 (2m5s ago)');
  });
});

it('formats endpoints like kubectl', () => {
  const ep = { metadata: {}, subsets: [{ addresses: [1, 2, 3, 4].map(i => ({ ip: `10.0.0.${i}` })), ports: [{ port: 80 }] }] };
  expect(formatEndpoints(ep as any)).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...');
  expect(formatEndpoints({ metadata: {} } as any)).toBe('<none>');
});
