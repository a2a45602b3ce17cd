import type { KubeObject } from '../kubernetes/types';
import { ungrounded, valueAtPath } from './ModelExplainer';

const object: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout', namespace: 'shop' },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          {
            name: 'checkout',
            image: 'ghcr.io/acme/checkout:2.3.1',
            resources: { limits: { memory: '256Mi', cpu: '500m' } },
          },
        ],
      },
    },
  },
};
const text = `spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: checkout
          image: ghcr.io/acme/checkout:2.3.1
          resources:
            limits:
              memory: 256Mi
              cpu: 500m
`;
const C = 'spec.template.spec.containers[0]';

describe('valueAtPath', () => {
  it('follows fields and indexes, and nothing else', () => {
    expect(valueAtPath(object, `${C}.resources.limits.memory`)).toBe('256Mi');
    expect(valueAtPath(object, 'spec.replicas')).toBe(2);
    expect(valueAtPath(object, `${C}.env`)).toBeUndefined();
    expect(
      valueAtPath(object, 'spec.template.spec.containers[1]'),
    ).toBeUndefined();
    expect(
      valueAtPath(object, 'spec.template.spec.containers[x]'),
    ).toBeUndefined();
    expect(valueAtPath(object, 'spec.replicas.toString')).toBeUndefined();
    expect(valueAtPath(object, 'constructor')).toBeUndefined();
  });
});

describe('ungrounded', () => {
  const point = (path: string, t: string) =>
    ungrounded({ path, text: t }, object, text);

  it('accepts a point on an existing field that quotes only what the manifest says', () => {
    expect(
      point(
        `${C}.resources.limits.memory`,
        'At `256Mi` with `cpu: 500m` the container is Burstable; see `spec.replicas`.',
      ),
    ).toBeUndefined();
  });

  it('names what is not in the manifest: a field, a quoted value, a quantity, an image', () => {
    expect(point(`${C}.livenessProbe`, 'x')).toBe(
      `${C}.livenessProbe: the manifest has no such field`,
    );
    expect(point('spec.replicas', 'Run `kubectl scale --replicas=5`.')).toBe(
      'spec.replicas: quotes "kubectl scale --replicas=5", which is not in the manifest',
    );
    expect(
      point('spec.replicas', 'The `spec.strategy.rollingUpdate` allows surge.'),
    ).toBe(
      'spec.replicas: quotes "spec.strategy.rollingUpdate", which is not in the manifest',
    );
    expect(point(`${C}.resources`, 'Its 512Mi limit is generous.')).toBe(
      `${C}.resources: says 512Mi, which is not in the manifest`,
    );
    expect(point(`${C}.image`, 'It runs ghcr.io/acme/checkout:2.2.0.')).toBe(
      `${C}.image: says ghcr.io/acme/checkout:2.2.0, which is not in the manifest`,
    );
  });
});
