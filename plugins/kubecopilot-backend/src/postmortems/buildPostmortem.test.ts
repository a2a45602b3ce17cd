import { FindingRecord } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { buildPostmortem } from './buildPostmortem';
import { PostmortemInput } from './types';

const from = new Date('2026-12-07T00:00:00.000Z');
const to = new Date('2026-12-07T02:00:00.000Z');

const input = (overrides: Partial<PostmortemInput> = {}): PostmortemInput => ({
  entityRef: 'component:default/checkout',
  from,
  to,
  events: [],
  findings: [],
  alerts: [],
  diagnoses: [],
  audit: [],
  plans: new Map(),
  verification: { ok: true, checked: 4 },
  errors: [],
  ...overrides,
});

const finding = (overrides: Partial<FindingRecord> = {}): FindingRecord => {
  const resource = { kind: 'Pod', namespace: 'shop', name: 'checkout-1' };
  return {
    fingerprint: 'f1',
    entityRef: 'component:default/checkout',
    status: 'open',
    severity: 'error',
    code: 'CrashLoopBackOff',
    title: 'CrashLoopBackOff: Pod shop/checkout-1',
    cluster: 'demo',
    resource,
    finding: {
      analyzer: 'pod',
      code: 'CrashLoopBackOff',
      severity: 'error',
      cluster: 'demo',
      resource,
      message: 'exits with code 1 | see logs',
      evidence: [],
    },
    firstSeen: '2026-12-07T00:10:00.000Z',
    lastSeen: '2026-12-07T01:50:00.000Z',
    ...overrides,
  };
};

describe('buildPostmortem', () => {
  it('says so when there is nothing in the window', () => {
    const draft = buildPostmortem(input());
    expect(draft.impact).toBe(
      'KubeCopilot recorded no finding and no alert for checkout in this window.',
    );
    expect(draft.probableCause.refs).toEqual([]);
    expect(draft.timeline).toEqual([]);
    expect(draft.markdown).toContain(
      '- Nothing was executed through KubeCopilot in this window.',
    );
  });

  it('keeps what is still open as action items, and a broken audit chain', () => {
    const draft = buildPostmortem(
      input({
        findings: [finding()],
        verification: {
          ok: false,
          checked: 3,
          firstBrokenId: 4,
          reason: 'hash mismatch',
        },
        errors: ['events of shop in demo: timed out'],
      }),
    );
    expect(draft.impact).toBe(
      'checkout: 1 finding(s) opened (worst: error CrashLoopBackOff: Pod shop/checkout-1) and 0 alert(s) fired. Affected from 2026-12-07T00:10:00.000Z; still open at the end of the window.',
    );
    expect(draft.probableCause).toEqual({
      text: 'CrashLoopBackOff: Pod shop/checkout-1: exits with code 1 | see logs',
      refs: ['finding:f1'],
    });
    expect(draft.actionItems).toEqual([
      'Resolve CrashLoopBackOff: Pod shop/checkout-1 (open since 2026-12-07T00:10:00.000Z) [finding:f1]',
      'Add an alert: the findings scan saw the problem, but no alert fired for it.',
      'Investigate the audit chain: it does not verify from entry 4 (hash mismatch).',
    ]);
    expect(draft.markdown).toContain(
      '| Audit chain | **does not verify** from entry 4 (hash mismatch) |',
    );
    expect(draft.markdown).toContain(
      '## Gaps\n\n- Not read: events of shop in demo: timed out',
    );
  });

  it('orders the timeline by time and escapes table cells', () => {
    const draft = buildPostmortem(
      input({
        findings: [
          finding({
            status: 'resolved',
            resolvedAt: '2026-12-07T01:00:00.000Z',
          }),
        ],
        events: [
          {
            uid: 'e1',
            cluster: 'demo',
            at: '2026-12-07T00:09:00.000Z',
            type: 'Warning',
            reason: 'BackOff',
            message: 'Back-off restarting | failed container',
            object: 'Pod shop/checkout-1',
            count: 12,
          },
          {
            uid: 'e0',
            cluster: 'demo',
            at: '2026-12-06T23:00:00.000Z',
            type: 'Normal',
            reason: 'Pulled',
            message: 'before the window',
            object: 'Pod shop/checkout-1',
            count: 1,
          },
        ],
      }),
    );
    expect(draft.timeline.map(e => `${e.at} ${e.ref}`)).toEqual([
      '2026-12-07T00:09:00.000Z event:e1',
      '2026-12-07T00:10:00.000Z finding:f1',
      '2026-12-07T01:00:00.000Z finding:f1',
    ]);
    expect(draft.impact).toContain(
      'Affected from 2026-12-07T00:10:00.000Z to 2026-12-07T01:00:00.000Z (50 min).',
    );
    expect(draft.markdown).toContain(
      '| 2026-12-07 00:09:00.000 | kubernetes | Warning BackOff on Pod shop/checkout-1: Back-off restarting \\| failed container (×12) | `event:e1` |',
    );
    expect(draft.actionItems).toEqual([
      'Add an alert: the findings scan saw the problem, but no alert fired for it.',
    ]);
  });
});
