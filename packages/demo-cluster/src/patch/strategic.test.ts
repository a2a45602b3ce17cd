import { jsonMergePatch, strategicMerge } from './strategic';

describe('strategic merge patch', () => {
  const original = {
    metadata: { labels: { a: '1', b: '2' }, finalizers: ['x'] },
    spec: {
      containers: [
        { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
        { name: 'sidecar', image: 'proxy:1' },
      ],
      tolerations: [{ key: 't1' }],
    },
  };

  it('merges maps, deletes with null and merges containers/env by name', () => {
    const out = strategicMerge(original, {
      metadata: { labels: { b: null, c: '3' }, finalizers: ['y'] },
      spec: { containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }] },
    });
    expect(out.metadata).toEqual({ labels: { a: '1', c: '3' }, finalizers: ['x', 'y'] });
    expect(out.spec.containers[0]).toEqual({
      name: 'app',
      image: 'app:2',
      env: [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }],
      ports: [{ containerPort: 80 }],
    });
    expect(out.spec.containers[1]).toEqual({ name: 'sidecar', image: 'proxy:1' });
    expect(original.spec.containers[0].image).toBe('app:1'); // not mutated
  });

  it('replaces lists without a merge key and honours $patch directives', () => {
    expect(strategicMerge(original, { spec: { tolerations: [{ key: 't2' }] } }).spec.tolerations).toEqual([{ key: 't2' }]);
    expect(strategicMerge(original, { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } }).spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(strategicMerge(original, { spec: { containers: [{ name: 'only', image: 'o' }, { $patch: 'replace' }] } }).spec.containers).toEqual([{ name: 'only', image: 'o' }]);
    expect(strategicMerge(original, { metadata: { labels: { $patch: 'replace', z: '9' } } }).metadata.labels).toEqual({ z: '9' });
    expect(strategicMerge(original, { metadata: { $patch: 'delete' } }).metadata).toBeUndefined();
    expect(strategicMerge(original, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }).metadata.finalizers).toEqual([]);
    expect(strategicMerge(original, { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }] } }).spec.containers).toHaveLength(2);
    expect(() => strategicMerge(original, { $patch: 'explode' })).toThrow();
  });

  it('merges service ports by port and container ports by containerPort', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }] } };
    expect(strategicMerge(svc, { spec: { ports: [{ port: 443, targetPort: 9443 }] } }).spec.ports).toEqual([
      { port: 80, targetPort: 8080 },
      { port: 443, targetPort: 9443 },
    ]);
  });
});

describe('JSON merge patch', () => {
  it('replaces lists and deletes with null', () => {
    expect(jsonMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
});
