import { loadContext } from '../analyzers/__fixtures__';
import { versionKey } from './versionKey';

const key = (ctx: ReturnType<typeof loadContext>) =>
  versionKey({
    entityRef: 'component:default/payments',
    contexts: [ctx],
    errors: [],
    salt: 'rules',
  });

describe('versionKey', () => {
  it('is the same for the same reads, and changes when a referenced key appears', () => {
    const ctx = loadContext('pod-missing-key');
    expect(key(loadContext('pod-missing-key'))).toBe(key(ctx));
    ctx.objectKeys[0].keys.push('log_level');
    expect(key(ctx)).not.toBe(key(loadContext('pod-missing-key')));
  });

  it('changes when a StorageClass is added', () => {
    const ctx = loadContext('statefulset-pvc-pending');
    const before = key(ctx);
    ctx.storageclasses = [
      ...ctx.storageclasses!,
      {
        metadata: { name: 'standard', resourceVersion: '1' },
        provisioner: 'x',
      },
    ];
    expect(key(ctx)).not.toBe(before);
  });
});
