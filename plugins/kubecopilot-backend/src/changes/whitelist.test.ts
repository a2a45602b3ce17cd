import { ActionWhitelist, disallowedUpdateChanges } from './whitelist';

describe('ActionWhitelist', () => {
  const builtIn = ActionWhitelist.fromConfig(undefined);

  it.each([
    ['restart', 'Deployment', true],
    ['restart', 'StatefulSet', true],
    ['restart', 'DaemonSet', true],
    ['scale', 'Deployment', true],
    ['scale', 'StatefulSet', true],
    ['scale', 'DaemonSet', false],
    ['delete', 'Pod', true],
    ['delete', 'Namespace', false],
    ['delete', 'Deployment', false],
    ['create', 'Deployment', false],
    ['update', 'Deployment', true],
    ['update', 'Secret', false],
    ['exec', 'Pod', false],
  ])('%s %s → %s', (action, kind, allowed) => {
    expect(builtIn.check(action, kind).allowed).toBe(allowed);
  });

  it('explains a refusal', () => {
    expect(builtIn.check('delete', 'Namespace')).toEqual({
      allowed: false,
      reason:
        "the action 'delete' is not allowed on Namespace; allowed kinds: Pod",
    });
    expect(builtIn.check('exec', 'Pod')).toEqual({
      allowed: false,
      reason: "the action 'exec' is not allowed on any kind",
    });
  });

  it('can be narrowed by config but never widened', () => {
    const narrow = ActionWhitelist.fromConfig(['restart:Deployment']);
    expect(narrow.check('restart', 'Deployment').allowed).toBe(true);
    expect(narrow.check('scale', 'Deployment').allowed).toBe(false);
    expect(() => ActionWhitelist.fromConfig(['delete:Namespace'])).toThrow(
      /only narrow/,
    );
  });
});

describe('disallowedUpdateChanges', () => {
  const deployment = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      resourceVersion: '10',
      labels: { app: 'checkout' },
    },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: 'checkout' } },
        spec: {
          serviceAccountName: 'checkout',
          containers: [
            {
              name: 'app',
              image: 'shop/checkout:1.0',
              resources: { limits: { memory: '256Mi' } },
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                {
                  name: 'DB_PASSWORD',
                  valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
                },
              ],
            },
          ],
        },
      },
    },
    status: { replicas: 2 },
  });

  it('allows image, resources, replicas and literal env values', () => {
    const after = deployment();
    after.spec.replicas = 4;
    after.spec.template.spec.containers[0].image = 'shop/checkout:1.1';
    after.spec.template.spec.containers[0].resources = {
      limits: { memory: '512Mi' },
    };
    after.spec.template.spec.containers[0].env[0].value = 'debug';
    (after as any).status = { replicas: 4 };
    after.metadata.resourceVersion = '11';
    expect(disallowedUpdateChanges(deployment(), after)).toEqual([]);
  });

  it('allows a literal env entry to be added, and removed again', () => {
    const added = deployment();
    added.spec.template.spec.containers[0].env.push({
      name: 'PAYMENT_GATEWAY_URL',
      value: 'https://payments.shop.svc:8443',
    } as any);
    expect(disallowedUpdateChanges(deployment(), added)).toEqual([]);
    expect(disallowedUpdateChanges(added, deployment())).toEqual([]);
  });

  it.each<[string, (d: any) => void, string]>([
    [
      'a secret reference',
      d =>
        (d.spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name =
          'other'),
      'spec.template.spec.containers[app].env[DB_PASSWORD]: env entries that reference a Secret or ConfigMap cannot be changed',
    ],
    [
      'a literal turned into a secret reference',
      d =>
        (d.spec.template.spec.containers[0].env[0] = {
          name: 'LOG_LEVEL',
          valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
        }),
      'spec.template.spec.containers[app].env[LOG_LEVEL]: env entries that reference a Secret or ConfigMap cannot be changed',
    ],
    [
      'a new env entry that references a Secret',
      d =>
        d.spec.template.spec.containers[0].env.push({
          name: 'NEW',
          valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
        }),
      'spec.template.spec.containers[app].env[NEW]: env entries that reference a Secret or ConfigMap cannot be changed',
    ],
    [
      'env entries in another order',
      d => {
        const env = d.spec.template.spec.containers[0].env;
        env.unshift({ name: 'FIRST', value: '1' });
        env.push(env.splice(1, 1)[0]);
      },
      'spec.template.spec.containers[app].env: env entries cannot be reordered',
    ],
    [
      'the service account',
      d => (d.spec.template.spec.serviceAccountName = 'admin'),
      'spec.template.spec.serviceAccountName: this field is not in the update whitelist',
    ],
    [
      'a privileged security context',
      d =>
        (d.spec.template.spec.containers[0].securityContext = {
          privileged: true,
        }),
      'spec.template.spec.containers: this field is not in the update whitelist',
    ],
    [
      'a label',
      d => (d.metadata.labels.app = 'x'),
      'metadata.labels.app: this field is not in the update whitelist',
    ],
    [
      'an added container',
      d =>
        d.spec.template.spec.containers.push({
          name: 'sidecar',
          image: 'evil',
        }),
      'spec.template.spec.containers: containers were added, removed or reordered',
    ],
  ])('rejects a change to %s', (_name, mutate, problem) => {
    const after = deployment();
    mutate(after);
    expect(disallowedUpdateChanges(deployment(), after)).toEqual([problem]);
  });
});
