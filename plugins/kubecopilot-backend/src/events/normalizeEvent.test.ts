import { MAX_MESSAGE, normalizeEvent } from './normalizeEvent';

describe('normalizeEvent', () => {
  it('takes the reporter from reportingController, and the container of an init container', () => {
    expect(
      normalizeEvent('prod', {
        metadata: { name: 'job-1.1', namespace: 'batch', uid: 'u1' },
        involvedObject: {
          kind: 'Pod',
          name: 'job-1-abcde',
          namespace: 'batch',
          fieldPath: 'spec.initContainers{migrate}',
        },
        type: 'Warning',
        reason: 'Failed',
        message: 'Error: ErrImagePull',
        eventTime: '2026-01-15T10:00:00.000001Z',
        series: { count: 3, lastObservedTime: '2026-01-15T10:05:00.000000Z' },
        reportingController: 'kubelet',
        reportingInstance: 'node-c',
      }),
    ).toMatchObject({
      namespace: 'batch',
      container: 'migrate',
      count: 3,
      firstTime: '2026-01-15T10:00:00.000Z',
      lastTime: '2026-01-15T10:05:00.000Z',
      source: 'kubelet (node-c)',
    });
  });

  it('falls back to creationTimestamp, and skips an event with no time at all', () => {
    const base = {
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'shop' },
      reason: 'Killing',
      message: 'Stopping container app',
    };
    expect(
      normalizeEvent('prod', {
        ...base,
        metadata: { creationTimestamp: '2026-01-15T09:00:00Z' },
      }),
    ).toMatchObject({
      type: 'Normal',
      count: 1,
      firstTime: '2026-01-15T09:00:00.000Z',
      lastTime: '2026-01-15T09:00:00.000Z',
    });
    expect(normalizeEvent('prod', { ...base, metadata: {} })).toBeUndefined();
  });

  it('caps a runaway message', () => {
    const e = normalizeEvent('prod', {
      metadata: { creationTimestamp: '2026-01-15T09:00:00Z' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'shop' },
      message: 'x '.repeat(5_000),
    })!;
    expect(e.message).toHaveLength(MAX_MESSAGE + 1);
    expect(e.message.endsWith('…')).toBe(true);
  });
});
