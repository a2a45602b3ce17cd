import { applySuggestion, pathSegments, rangeOfPath } from './yamlPaths';

const TEXT = `spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: checkout
          image: checkout:2.3.1
          resources:
            limits:
              memory: 256Mi
`;

describe('yamlPaths', () => {
  it('splits a field path into keys and indexes', () => {
    expect(
      pathSegments('spec.template.spec.containers[0].env[12].value'),
    ).toEqual([
      'spec',
      'template',
      'spec',
      'containers',
      0,
      'env',
      12,
      'value',
    ]);
  });

  it('finds the line of a field, or of its nearest parent when it is missing', () => {
    expect(rangeOfPath(TEXT, 'spec.replicas')).toMatchObject({
      line: 2,
      exact: true,
    });
    expect(
      rangeOfPath(TEXT, 'spec.template.spec.containers[0].image'),
    ).toMatchObject({ line: 7, exact: true });
    expect(
      rangeOfPath(
        TEXT,
        'spec.template.spec.containers[0].resources.limits.cpu',
      ),
    ).toMatchObject({ line: 9, exact: false });
    expect(
      rangeOfPath(TEXT, 'spec.template.spec.containers[0].livenessProbe'),
    ).toMatchObject({ line: 6, exact: false });
    expect(rangeOfPath('a: [1', 'a')).toBeUndefined();
  });

  it('sets a suggested value, creating the maps on the way', () => {
    const out = applySuggestion(TEXT, {
      path: 'spec.template.spec.containers[0].resources.requests.cpu',
      value: '100m',
    });
    expect(out).toContain(
      '          resources:\n            limits:\n              memory: 256Mi\n            requests:\n              cpu: 100m\n',
    );
    expect(
      applySuggestion(TEXT, { path: 'spec.replicas', value: 2 }),
    ).toContain('replicas: 2');
  });
});
