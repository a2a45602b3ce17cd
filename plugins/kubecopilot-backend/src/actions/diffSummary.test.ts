import { diffSummary } from './diffSummary';

const deployment = (spec: Record<string, unknown>, metadata = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'checkout',
    namespace: 'shop',
    resourceVersion: '41',
    ...metadata,
  },
  spec,
  status: { readyReplicas: 0 },
});
const what = { kind: 'Deployment', name: 'checkout' };

describe('diffSummary', () => {
  it('names each changed field with its values, ignoring bookkeeping', () => {
    expect(
      diffSummary(
        deployment({ replicas: 1 }),
        {
          ...deployment({ replicas: 3 }, { resourceVersion: '42' }),
          status: {},
        },
        what,
      ),
    ).toEqual(['spec.replicas: 1 → 3']);
  });

  it('reads an added object as its fields, quoting keys with dots', () => {
    const before = deployment({ template: { metadata: {} } });
    const after = deployment({
      template: {
        metadata: {
          annotations: {
            'kubectl.kubernetes.io/restartedAt': '2026-01-15T12:00:00Z',
          },
        },
      },
    });
    expect(diffSummary(before, after, what)).toEqual([
      'spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]: (unset) → 2026-01-15T12:00:00Z',
    ]);
  });

  it('walks arrays by index and shortens long values', () => {
    const image = (tag: string) => ({
      template: {
        spec: {
          containers: [
            {
              name: 'checkout',
              image: `ghcr.io/kubecopilot-demo/checkout:${tag}`,
            },
          ],
        },
      },
    });
    expect(
      diffSummary(deployment(image('2.3.1')), deployment(image('2.2.0')), what),
    ).toEqual([
      'spec.template.spec.containers[0].image: ghcr.io/kubecopilot-demo/checkout:2.3.1 → ghcr.io/kubecopilot-demo/checkout:2.2.0',
    ]);
    const long = 'x'.repeat(200);
    const [line] = diffSummary({ a: long }, { a: 'y' }, what);
    expect(line).toBe(`a: ${'x'.repeat(79)}… → y`);
  });

  it('says a deletion is one, and caps the lines', () => {
    expect(
      diffSummary(deployment({}), null, { kind: 'Pod', name: 'checkout-abc' }),
    ).toEqual(['deletes Pod checkout-abc']);
    const many = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`k${i}`, i]),
    );
    const lines = diffSummary({}, many, what);
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('… and 5 more field(s); see the review');
    expect(diffSummary({ a: 1 }, { a: 1 }, what)).toEqual(['no field changes']);
  });
});
