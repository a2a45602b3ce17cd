import { configReferencesOf, isImplicitReference } from './configReferences';

describe('configReferencesOf', () => {
  it('merges every use of an object: env, envFrom, volumes, projected sources, pull secrets', () => {
    const refs = configReferencesOf({
      initContainers: [
        {
          name: 'migrate',
          image: 'm:1',
          envFrom: [{ secretRef: { name: 'db' } }],
        },
      ],
      containers: [
        {
          name: 'app',
          image: 'a:1',
          env: [
            {
              name: 'A',
              valueFrom: { configMapKeyRef: { name: 'cfg', key: 'a' } },
            },
            {
              name: 'B',
              valueFrom: {
                secretKeyRef: { name: 'db', key: 'password', optional: true },
              },
            },
            { name: 'C', value: 'plain' },
          ],
          volumeMounts: [{ name: 'certs', mountPath: '/certs' }],
        },
      ],
      volumes: [
        {
          name: 'certs',
          projected: {
            sources: [
              {
                secret: {
                  name: 'tls',
                  items: [{ key: 'tls.crt', path: 'tls.crt' }],
                },
              },
              { configMap: { name: 'kube-root-ca.crt' } },
            ],
          },
        },
        { name: 'unused', configMap: { name: 'cfg', optional: true } },
      ],
      imagePullSecrets: [{ name: 'registry' }],
    });
    expect(refs).toEqual([
      {
        kind: 'Secret',
        name: 'db',
        via: ['envFrom', 'env'],
        containers: ['migrate', 'app'],
        optional: false,
        keys: ['password'],
      },
      {
        kind: 'ConfigMap',
        name: 'cfg',
        via: ['env', 'volume'],
        containers: ['app'],
        optional: false,
        keys: ['a'],
      },
      {
        kind: 'Secret',
        name: 'tls',
        via: ['projected'],
        containers: ['app'],
        optional: false,
        keys: ['tls.crt'],
      },
      {
        kind: 'ConfigMap',
        name: 'kube-root-ca.crt',
        via: ['projected'],
        containers: ['app'],
        optional: false,
        keys: [],
      },
      {
        kind: 'Secret',
        name: 'registry',
        via: ['imagePullSecret'],
        containers: [],
        optional: true,
        keys: [],
      },
    ]);
    expect(refs.filter(r => !isImplicitReference(r)).map(r => r.name)).toEqual([
      'db',
      'cfg',
      'tls',
      'registry',
    ]);
  });

  it('a reference every use of which is optional is optional', () => {
    expect(
      configReferencesOf({
        containers: [
          {
            name: 'app',
            image: 'a:1',
            envFrom: [{ configMapRef: { name: 'flags', optional: true } }],
          },
        ],
      }),
    ).toEqual([
      {
        kind: 'ConfigMap',
        name: 'flags',
        via: ['envFrom'],
        containers: ['app'],
        optional: true,
        keys: [],
      },
    ]);
  });
});
