import { EntityObjects, emptyEntityObjects, selectTarget } from './target';

const meta = (
  kind: string,
  name: string,
  owner?: [string, string],
  labels?: Record<string, string>,
) => ({
  kind,
  metadata: {
    name,
    namespace: 'shop',
    ...(labels ? { labels } : {}),
    ...(owner
      ? {
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: owner[0],
              name: owner[1],
              uid: 'u',
              controller: true,
            },
          ],
        }
      : {}),
  },
});

/** Two Deployments behind one Ingress each, an HPA and a CronJob. */
function objects(): EntityObjects {
  return {
    ...emptyEntityObjects(),
    deployments: [
      meta('Deployment', 'web'),
      meta('Deployment', 'worker'),
    ] as any,
    replicasets: [
      meta('ReplicaSet', 'web-5d9', ['Deployment', 'web']),
      meta('ReplicaSet', 'worker-7f8', ['Deployment', 'worker']),
    ] as any,
    pods: [
      meta('Pod', 'web-5d9-a', ['ReplicaSet', 'web-5d9'], {
        app: 'web',
        'pod-template-hash': '5d9',
      }),
      meta('Pod', 'web-5d9-b', ['ReplicaSet', 'web-5d9'], {
        app: 'web',
        'pod-template-hash': '5d9',
      }),
      meta('Pod', 'worker-7f8-a', ['ReplicaSet', 'worker-7f8'], {
        app: 'worker',
        'pod-template-hash': '7f8',
      }),
      meta('Pod', 'report-28112-x', ['Job', 'report-28112'], { app: 'report' }),
    ] as any,
    services: [
      { ...meta('Service', 'web'), spec: { selector: { app: 'web' } } },
      { ...meta('Service', 'worker'), spec: { selector: { app: 'worker' } } },
    ] as any,
    ingresses: [
      {
        ...meta('Ingress', 'web'),
        spec: {
          rules: [
            {
              http: {
                paths: [{ path: '/', backend: { service: { name: 'web' } } }],
              },
            },
          ],
        },
      },
    ] as any,
    hpas: [
      {
        ...meta('HorizontalPodAutoscaler', 'web'),
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          maxReplicas: 5,
        },
      },
    ] as any,
    jobs: [meta('Job', 'report-28112', ['CronJob', 'report'])] as any,
    cronjobs: [meta('CronJob', 'report')] as any,
  };
}

const names = (o: EntityObjects) =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([, list]) => list.length > 0)
      .map(([k, list]) => [k, (list as any[]).map(x => x.metadata.name)]),
  );

describe('selectTarget', () => {
  it('narrows to a Deployment, its ReplicaSets and pods, and what routes to and scales it', () => {
    expect(
      names(
        selectTarget(objects(), {
          kind: 'Deployment',
          namespace: 'shop',
          name: 'web',
        })!,
      ),
    ).toEqual({
      deployments: ['web'],
      replicasets: ['web-5d9'],
      pods: ['web-5d9-a', 'web-5d9-b'],
      services: ['web'],
      ingresses: ['web'],
      hpas: ['web'],
    });
  });

  it('narrows to one pod and its owners, not its siblings', () => {
    expect(
      names(selectTarget(objects(), { kind: 'pod', name: 'web-5d9-b' })!),
    ).toEqual({
      pods: ['web-5d9-b'],
      replicasets: ['web-5d9'],
      deployments: ['web'],
      services: ['web'],
      ingresses: ['web'],
      hpas: ['web'],
    });
  });

  it('narrows to a Service and the pods it selects, a CronJob and its Jobs, an HPA and what it scales', () => {
    expect(
      names(selectTarget(objects(), { kind: 'Service', name: 'worker' })!),
    ).toEqual({
      services: ['worker'],
      pods: ['worker-7f8-a'],
      replicasets: ['worker-7f8'],
      deployments: ['worker'],
    });
    expect(
      names(selectTarget(objects(), { kind: 'CronJob', name: 'report' })!),
    ).toEqual({
      cronjobs: ['report'],
      jobs: ['report-28112'],
      pods: ['report-28112-x'],
    });
    expect(
      names(
        selectTarget(objects(), {
          kind: 'HorizontalPodAutoscaler',
          name: 'web',
        })!,
      ),
    ).toMatchObject({
      hpas: ['web'],
      deployments: ['web'],
      pods: ['web-5d9-a', 'web-5d9-b'],
    });
  });

  it('finds nothing outside the entity', () => {
    expect(
      selectTarget(objects(), { kind: 'Deployment', name: 'billing' }),
    ).toBeUndefined();
    expect(
      selectTarget(objects(), {
        kind: 'Deployment',
        namespace: 'other',
        name: 'web',
      }),
    ).toBeUndefined();
    expect(
      selectTarget(objects(), { kind: 'Secret', name: 'web' }),
    ).toBeUndefined();
  });
});
