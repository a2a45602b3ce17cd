import { parseQuestion } from './parseQuestion';

const now = new Date('2026-11-26T15:00:00.000Z');

describe('parseQuestion', () => {
  it.each([
    ['show me failing pods of this service', 'pods that are not healthy (not ready, failed, or waiting)'],
    ['show pods in CrashLoopBackOff', 'pods in CrashLoopBackOff'],
    ['which pods are crash-looping?', 'pods in CrashLoopBackOff'],
    ['pods that cannot pull their image', 'pods that cannot pull their image'],
    ['any OOMKilled pods?', 'pods killed for running out of memory'],
    ['which pods of this service restarted today?', 'pods restarted today (UTC)'],
    ['pods restarted in the last 2 hours', 'pods restarted in the last 2 hours'],
    ['which pods restarted', 'pods that restarted at least once'],
    ['pending pods', 'pods in phase Pending'],
    ['list pods', 'all pods of this entity'],
    ['show deployments', 'the workloads of this entity'],
  ])('reads %j', (question, understood) => {
    expect(parseQuestion(question, now)?.understood).toBe(understood);
  });

  it('computes the restart window from now', () => {
    expect(parseQuestion('pods restarted today', now)).toEqual({
      kind: 'pods',
      understood: 'pods restarted today (UTC)',
      filter: { type: 'restarted', sinceMs: Date.parse('2026-11-26T00:00:00.000Z'), label: 'today (UTC)'.replace(/^/, 'restarted ') },
    });
  });

  it.each(['', 'what is the weather', 'delete everything', 'tell me a joke'])('refuses %j', question => {
    expect(parseQuestion(question, now)).toBeUndefined();
  });
});
