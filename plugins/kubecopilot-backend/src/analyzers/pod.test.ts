import { findingSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { configReferencesOf, podAnalyzer } from './pod';
import { ev, f, loadContext } from './__fixtures__';

const owner = (chain: string) => f('metadata.ownerReferences', chain);
const deployment = (name: string) => ({
  kind: 'Deployment',
  namespace: 'shop',
  name,
});
const pod = (name: string) => ({ kind: 'Pod', namespace: 'shop', name });
const cs = 'status.containerStatuses[app]';

const cases: Array<[string, Finding[]]> = [
  [
    // One replica restarted once, 48 minutes ago: history, told as a note.
    'healthy-all-kinds',
    [
      {
        analyzer: 'pod',
        code: 'ContainerRecovered',
        severity: 'info',
        cluster: 'prod-eu',
        resource: pod('checkout-7d9f8b6c5d-b4c9d'),
        container: 'app',
        message:
          'Container "app" of Pod shop/checkout-7d9f8b6c5d-b4c9d (Deployment checkout) recovered 48 min ago after 1 restart and has been running since. Its last exit: code 1 (Error), the application exited with a general error.',
        evidence: [
          owner('ReplicaSet/checkout-7d9f8b6c5d → Deployment/checkout'),
          f(`${cs}.state.running.startedAt`, '2025-01-14T09:03:00Z'),
          f(`${cs}.ready`, 'true'),
          f(`${cs}.restartCount`, '1'),
          f(`${cs}.lastState.terminated.exitCode`, '1'),
          f(`${cs}.lastState.terminated.reason`, 'Error'),
          f(`${cs}.lastState.terminated.finishedAt`, '2025-01-14T09:02:58Z'),
        ],
      },
    ],
  ],
  [
    'pod-crashloop',
    [
      {
        analyzer: 'pod',
        code: 'CrashLoopBackOff',
        severity: 'error',
        cluster: 'prod-eu',
        resource: pod('checkout-7d9f8b6c5d-x7k2p'),
        container: 'app',
        message:
          'Container "app" of Pod shop/checkout-7d9f8b6c5d-x7k2p (Deployment checkout) is crash-looping: it exited with code 1 (Error) and has restarted 6 times. Its log says: Caused by: java.net.ConnectException: Connection refused',
        evidence: [
          owner('ReplicaSet/checkout-7d9f8b6c5d → Deployment/checkout'),
          f(`${cs}.state.waiting.reason`, 'CrashLoopBackOff'),
          f(`${cs}.restartCount`, '6'),
          f(`${cs}.lastState.terminated.reason`, 'Error'),
          f(`${cs}.lastState.terminated.exitCode`, '1'),
          ev(
            'BackOff',
            'Back-off restarting failed container app in pod checkout-7d9f8b6c5d-x7k2p_shop(0008042e-96e8-9c43-c1d2-b659aa5f2d97)',
            28,
          ),
          {
            type: 'log',
            path: 'pods/checkout-7d9f8b6c5d-x7k2p/log?container=app&previous=true',
            lines: [
              '2025-01-14T09:11:06.903Z ERROR 1 --- [checkout] [           main] com.zaxxer.hikari.pool.HikariPool        : HikariPool-1 - Exception during pool initialization.',
              'org.postgresql.util.PSQLException: Connection to checkout-db.shop.svc.cluster.local:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.',
              'Caused by: java.net.ConnectException: Connection refused',
              '\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)',
              '\t... 45 common frames omitted',
              '2025-01-14T09:11:06.950Z  WARN 1 --- [checkout] [           main] ConfigServletWebServerApplicationContext : Exception encountered during context initialization - cancelling refresh attempt',
              '2025-01-14T09:11:06.991Z ERROR 1 --- [checkout] [           main] o.s.boot.SpringApplication               : Application run failed',
            ],
          },
        ],
        proposedFix: {
          description:
            'The application in container "app" exits on its own; the log lines in the evidence show why. Fix the cause (code, configuration, or a dependency it needs at startup).',
          note: 'A restart alone will not help: the container exits the same way after every restart.',
        },
      },
    ],
  ],
  [
    // Caught while running between two crashes, its ReplicaSet not gathered.
    'pod-crashloop-between-restarts',
    [
      {
        analyzer: 'pod',
        code: 'CrashLoopBackOff',
        severity: 'error',
        cluster: 'prod-eu',
        resource: pod('web-6b7f9c8d4-q2n8r'),
        container: 'app',
        message:
          'Container "app" of Pod shop/web-6b7f9c8d4-q2n8r (Deployment web) is crash-looping: it exited with code 2 (Error) and has restarted 4 times. Its log says: panic: runtime error: invalid memory address or nil pointer dereference',
        evidence: [
          owner('ReplicaSet/web-6b7f9c8d4 → Deployment/web'),
          f(`${cs}.restartCount`, '4'),
          f(`${cs}.lastState.terminated.reason`, 'Error'),
          f(`${cs}.lastState.terminated.exitCode`, '2'),
          ev(
            'BackOff',
            'Back-off restarting failed container app in pod web-6b7f9c8d4-q2n8r_shop(9ced6caf-be1b-73e2-d7aa-4f9e5b4c6dbe)',
            9,
          ),
          {
            type: 'log',
            path: 'pods/web-6b7f9c8d4-q2n8r/log?container=app&previous=true',
            lines: [
              'panic: runtime error: invalid memory address or nil pointer dereference',
              'goroutine 1 [running]:',
              'main.(*Server).loadRoutes(0x0)',
              '\t/src/cmd/web/server.go:88 +0x3a',
              'main.main()',
              '\t/src/cmd/web/main.go:41 +0x1f5',
            ],
          },
        ],
        proposedFix: {
          description:
            'The application in container "app" exits on its own; the log lines in the evidence show why. Fix the cause (code, configuration, or a dependency it needs at startup).',
          note: 'A restart alone will not help: the container exits the same way after every restart.',
        },
      },
    ],
  ],
  [
    'pod-imagepull',
    [
      {
        analyzer: 'pod',
        code: 'ImagePullBackOff',
        severity: 'error',
        cluster: 'prod-eu',
        resource: pod('payments-5c8d7f6b9-lm4vt'),
        container: 'app',
        message:
          'Container "app" of Pod shop/payments-5c8d7f6b9-lm4vt (Deployment payments) cannot pull image ghcr.io/acme/payments:v2.3.9 (ImagePullBackOff): Failed to pull image "ghcr.io/acme/payments:v2.3.9": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/payments:v2.3.9": failed to resolve reference "ghcr.io/acme/payments:v2.3.9": ghcr.io/acme/payments:v2.3.9: not found',
        evidence: [
          owner('ReplicaSet/payments-5c8d7f6b9 → Deployment/payments'),
          f(`${cs}.state.waiting.reason`, 'ImagePullBackOff'),
          f(
            `${cs}.state.waiting.message`,
            'Back-off pulling image "ghcr.io/acme/payments:v2.3.9"',
          ),
          f('spec.containers[app].image', 'ghcr.io/acme/payments:v2.3.9'),
          ev(
            'Failed',
            'Failed to pull image "ghcr.io/acme/payments:v2.3.9": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/acme/payments:v2.3.9": failed to resolve reference "ghcr.io/acme/payments:v2.3.9": ghcr.io/acme/payments:v2.3.9: not found',
            4,
          ),
          ev(
            'BackOff',
            'Back-off pulling image "ghcr.io/acme/payments:v2.3.9"',
            9,
          ),
          ev('Failed', 'Error: ImagePullBackOff', 9),
        ],
        // Only a person knows the tag that exists: the plan asks for it.
        proposedFix: {
          description:
            'Set the image of Deployment payments (container "app") to one that exists. The registry has no image "ghcr.io/acme/payments:v2.3.9"; pushing that tag would also do. You type the new reference; the plan shows it in its diff before anyone approves it.',
          note: 'A restart alone will not help: the kubelet already retries the pull, and the same reference fails the same way. What helps is an image that exists and may be pulled: push the tag, set the image to a tag that exists, or add an imagePullSecret.',
          action: 'update',
          target: { kind: 'Deployment', namespace: 'shop', name: 'payments' },
          params: {},
          asks: [
            {
              kind: 'image',
              container: 'app',
              path: ['containers', 'app', 'image'],
              initial: 'ghcr.io/acme/payments:v2.3.9',
            },
          ],
        },
      },
    ],
  ],
  [
    'pod-oomkilled',
    [
      {
        analyzer: 'pod',
        code: 'OOMKilled',
        severity: 'error',
        cluster: 'prod-eu',
        resource: pod('report-worker-59d8c7b6f4-h9zq2'),
        container: 'app',
        message:
          'Container "app" of Pod shop/report-worker-59d8c7b6f4-h9zq2 (Deployment report-worker) was OOMKilled (exit code 137) at its memory limit of 256Mi; it has restarted 9 times.',
        evidence: [
          owner(
            'ReplicaSet/report-worker-59d8c7b6f4 → Deployment/report-worker',
          ),
          f(`${cs}.state.waiting.reason`, 'CrashLoopBackOff'),
          f(`${cs}.lastState.terminated.reason`, 'OOMKilled'),
          f(`${cs}.lastState.terminated.exitCode`, '137'),
          f(`${cs}.restartCount`, '9'),
          f('spec.containers[app].resources.limits.memory', '256Mi'),
          {
            type: 'log',
            path: 'pods/report-worker-59d8c7b6f4-h9zq2/log?container=app&previous=true',
            lines: [
              '2025-01-14 09:30:03 INFO worker: picked up job report-2025-01-13 (tenant=acme)',
              '2025-01-14 09:30:41 INFO loader: loaded 412000 rows into memory',
              '2025-01-14 09:31:12 INFO loader: loaded 1024000 rows into memory',
              '2025-01-14 09:31:40 INFO loader: loaded 1843221 rows into memory',
              '2025-01-14 09:31:47 INFO aggregator: building pivot table (37 columns)',
            ],
          },
        ],
        proposedFix: {
          description:
            'Raise resources.limits.memory of container "app" (now 256Mi) in Deployment report-worker, or bound the application\'s memory use (heap size, caches, concurrency) below it.',
          note: 'A restart alone will not help: the container runs out of memory again under the same load.',
        },
      },
    ],
  ],
  [
    'pod-unschedulable',
    [
      {
        analyzer: 'pod',
        code: 'Unschedulable',
        severity: 'error',
        cluster: 'prod-eu',
        resource: pod('search-indexer-2'),
        message:
          'Pod shop/search-indexer-2 (StatefulSet search-indexer) cannot be scheduled: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
        evidence: [
          owner('StatefulSet/search-indexer'),
          f('status.conditions[PodScheduled].status', 'False'),
          f('status.conditions[PodScheduled].reason', 'Unschedulable'),
          f(
            'status.conditions[PodScheduled].message',
            '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
          ),
          ev(
            'FailedScheduling',
            '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
            3,
          ),
        ],
        proposedFix: {
          // Only a person knows how much less it needs: the plan asks.
          description:
            "Lower the memory request (now 12Gi) of StatefulSet search-indexer, if it needs less. No node has enough free memory for the pod's requests: lower resources.requests (memory) or add node capacity. Some nodes have taints the pod does not tolerate: if it should run there, add a matching toleration. You type the new request; the plan shows it in its diff before anyone approves it.",
          note: 'A restart alone will not help: new pods ask the scheduler for the same nodes and wait the same way. What helps is changing what the pod asks for (requests, affinity, tolerations, volumes) or the nodes.',
          action: 'update',
          target: { kind: 'StatefulSet', namespace: 'shop', name: 'search-indexer' },
          // The container's resources as they are: an update replaces them whole.
          params: {
            containers: {
              indexer: {
                resources: {
                  limits: { cpu: '500m', memory: '12Gi' },
                  requests: { cpu: '250m', memory: '12Gi' },
                },
              },
            },
          },
          asks: [
            {
              kind: 'resource',
              container: 'indexer',
              name: 'requests.memory',
              path: ['containers', 'indexer', 'resources', 'requests', 'memory'],
              initial: '12Gi',
            },
          ],
        },
      },
    ],
  ],
  [
    'pod-readiness-failure',
    [
      {
        analyzer: 'pod',
        code: 'ProbeFailure',
        severity: 'warning',
        cluster: 'prod-eu',
        resource: pod('cart-6c9f7d5b8-t4wz1'),
        container: 'app',
        message:
          'Container "app" of Pod shop/cart-6c9f7d5b8-t4wz1 (Deployment cart) is running but not ready: its readiness probe fails (Readiness probe failed: HTTP probe failed with statuscode: 503).',
        evidence: [
          owner('ReplicaSet/cart-6c9f7d5b8 → Deployment/cart'),
          f(`${cs}.ready`, 'false'),
          f('status.conditions[Ready].status', 'False'),
          f('status.conditions[Ready].reason', 'ContainersNotReady'),
          f(
            'status.conditions[Ready].message',
            'containers with unready status: [app]',
          ),
          f(
            'spec.containers[app].readinessProbe',
            'httpGet /ready on port 8080, periodSeconds 10, timeoutSeconds 1, failureThreshold 3',
          ),
          ev(
            'Unhealthy',
            'Readiness probe failed: HTTP probe failed with statuscode: 503',
            42,
          ),
          {
            type: 'log',
            path: 'pods/cart-6c9f7d5b8-t4wz1/log?container=app',
            lines: [
              'time=2025-01-14T09:02:06Z level=info msg="cart service listening" addr=:8080',
              'time=2025-01-14T09:02:07Z level=warn msg="redis unavailable, readiness will fail until it is back" addr=cart-redis.shop.svc:6379',
              'time=2025-01-14T09:02:17Z level=error msg="redis ping failed" err="dial tcp 10.96.14.7:6379: connect: connection refused"',
              'time=2025-01-14T09:02:27Z level=error msg="redis ping failed" err="dial tcp 10.96.14.7:6379: connect: connection refused"',
              'time=2025-01-14T09:09:17Z level=error msg="redis ping failed" err="dial tcp 10.96.14.7:6379: connect: connection refused"',
            ],
          },
        ],
        proposedFix: {
          description:
            'The readiness probe (httpGet /ready on port 8080, periodSeconds 10, timeoutSeconds 1, failureThreshold 3) keeps failing, so the pod receives no Service traffic. Fix what the endpoint checks or the probe itself (path, port, timeoutSeconds); if it failed on a dependency that has since recovered and the pod stays stuck, restart Deployment/cart.',
          action: 'restart',
          target: deployment('cart'),
        },
      },
    ],
  ],
  [
    // Exit code 137 here is the kubelet's liveness kill, not the OOM killer.
    // The probe is the cause: one finding, the restarts as its evidence.
    'pod-liveness-crashloop',
    [
      {
        analyzer: 'pod',
        code: 'ProbeFailure',
        severity: 'error',
        cluster: 'prod-eu',
        resource: pod('inventory-7b5d6c9f8-p3k7m'),
        container: 'app',
        message:
          'Container "app" of Pod shop/inventory-7b5d6c9f8-p3k7m (Deployment inventory) is restarted over and over by its failing liveness probe: it exited with code 137 (Error) and has restarted 5 times. Its liveness probe fails: Liveness probe failed: Get "http://10.0.1.61:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
        evidence: [
          owner('ReplicaSet/inventory-7b5d6c9f8 → Deployment/inventory'),
          f(`${cs}.state.waiting.reason`, 'CrashLoopBackOff'),
          f(`${cs}.restartCount`, '5'),
          f(`${cs}.lastState.terminated.reason`, 'Error'),
          f(`${cs}.lastState.terminated.exitCode`, '137'),
          ev(
            'Unhealthy',
            'Liveness probe failed: Get "http://10.0.1.61:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            15,
          ),
          ev(
            'Killing',
            'Container app failed liveness probe, will be restarted',
            5,
          ),
          ev(
            'BackOff',
            'Back-off restarting failed container app in pod inventory-7b5d6c9f8-p3k7m_shop(eb6f9548-3306-5888-2141-62cede1392d0)',
            11,
          ),
          {
            type: 'log',
            path: 'pods/inventory-7b5d6c9f8-p3k7m/log?container=app&previous=true',
            lines: [
              '[2025-01-14 09:14:00] inventory 5.0.3 starting',
              '[2025-01-14 09:14:02] warming product cache (48213 items)',
              '[2025-01-14 09:14:20] cache warm 40%',
              '[2025-01-14 09:14:34] cache warm 80%',
            ],
          },
        ],
        proposedFix: {
          description:
            'The kubelet kills container "app" because its liveness probe (httpGet /healthz on port 8080, periodSeconds 10, timeoutSeconds 1, failureThreshold 3) fails: make the probe match the application (path, port, timeoutSeconds), and give slow starters a startupProbe or a longer initialDelaySeconds.',
          note: 'A restart alone will not help: the kubelet already restarts the container each time its liveness probe fails.',
        },
      },
    ],
  ],
  [
    // The optional ConfigMap orders-flags is absent too, and rightly ignored.
    'pod-missing-configmap',
    [
      {
        analyzer: 'pod',
        code: 'MissingConfigMap',
        severity: 'error',
        cluster: 'prod-eu',
        resource: pod('orders-5f6d8c7b9-w8x2n'),
        container: 'app',
        message:
          'Pod shop/orders-5f6d8c7b9-w8x2n (Deployment orders): ConfigMap "orders-config" does not exist in namespace shop, so container "app" cannot start.',
        evidence: [
          owner('ReplicaSet/orders-5f6d8c7b9 → Deployment/orders'),
          f(`${cs}.state.waiting.reason`, 'CreateContainerConfigError'),
          f(
            `${cs}.state.waiting.message`,
            'configmap "orders-config" not found',
          ),
          f(
            'ConfigMap/orders-config',
            'not found (metadata-only existence check)',
          ),
          f(
            'spec.containers[app].env[DB_HOST].valueFrom.configMapKeyRef.name',
            'orders-config',
          ),
        ],
        proposedFix: {
          description:
            'Create ConfigMap "orders-config" in namespace shop or fix the reference in Deployment orders. The kubelet retries by itself once it exists; no restart is needed.',
        },
      },
    ],
  ],
  [
    'pod-missing-secret-volume',
    [
      {
        analyzer: 'pod',
        code: 'MissingSecret',
        severity: 'error',
        cluster: 'prod-eu',
        resource: pod('ledger-8d7c6b5f4-r5t9v'),
        message:
          'Pod shop/ledger-8d7c6b5f4-r5t9v (Deployment ledger): Secret "ledger-tls" does not exist in namespace shop, so its volumes cannot be mounted and the pod cannot start.',
        evidence: [
          owner('ReplicaSet/ledger-8d7c6b5f4 → Deployment/ledger'),
          ev(
            'FailedMount',
            'MountVolume.SetUp failed for volume "tls" : secret "ledger-tls" not found',
            7,
          ),
          f('spec.volumes[tls].secret.secretName', 'ledger-tls'),
        ],
        proposedFix: {
          description:
            'Create Secret "ledger-tls" in namespace shop or fix the reference in Deployment ledger. The kubelet retries by itself once it exists; no restart is needed.',
        },
      },
    ],
  ],
];

describe('podAnalyzer', () => {
  it.each(cases)('%s', (fixture, expected) => {
    const findings = podAnalyzer.analyze(loadContext(fixture));
    expect(findings).toEqual(expected);
    // What the analyzer emits must pass the schema the API validates against.
    for (const finding of findings)
      expect(findingSchema.parse(finding)).toEqual(finding);
  });

  it('accepts Date timestamps from the typed client as well as strings', () => {
    const ctx = loadContext('pod-crashloop');
    // Reverse the events' order and give them Date objects: evidence must
    // still pick the latest BackOff by time, not by position.
    ctx.events = ctx.events
      .map(e => ({
        ...e,
        lastTimestamp: new Date(e.lastTimestamp as unknown as string),
      }))
      .reverse();
    expect(podAnalyzer.analyze(ctx)).toEqual(
      podAnalyzer.analyze(loadContext('pod-crashloop')),
    );
  });

  it('reads a crash loop in an init container from initContainerStatuses', () => {
    const ctx = loadContext('pod-crashloop');
    const p = ctx.pods[0];
    p.spec!.initContainers = p.spec!.containers;
    p.spec!.containers = [
      { name: 'sidecar', image: 'envoyproxy/envoy:v1.31.0' },
    ];
    p.status!.initContainerStatuses = p.status!.containerStatuses;
    p.status!.containerStatuses = [];
    for (const e of ctx.events) {
      if (e.involvedObject.fieldPath)
        e.involvedObject.fieldPath = 'spec.initContainers{app}';
    }
    const [finding] = podAnalyzer.analyze(ctx);
    expect(finding.code).toBe('CrashLoopBackOff');
    expect(finding.container).toBe('app');
    expect(finding.evidence).toContainEqual(
      f('status.initContainerStatuses[app].lastState.terminated.exitCode', '1'),
    );
  });

  it('treats exit code 137 with reason Error as a SIGKILL, not an OOM kill', () => {
    const ctx = loadContext('pod-oomkilled');
    ctx.pods[0].status!.containerStatuses![0].lastState!.terminated!.reason =
      'Error';
    const [finding] = podAnalyzer.analyze(ctx);
    expect(finding.code).toBe('CrashLoopBackOff');
    expect(finding.message).toContain(
      'it exited with code 137 (Error): it was killed with SIGKILL',
    );
  });

  it.each([
    [
      // Back for 4 minutes: not yet past the kubelet's back-off reset.
      '2025-01-14T09:40:00Z',
      'warning',
      'was OOMKilled (exit code 137) at its memory limit of 256Mi; it is running again for 4 min after 9 restarts; it has not yet run long enough to call it recovered.',
    ],
    [
      // Three hours later: history, told as information.
      '2025-01-14T12:36:00Z',
      'info',
      'was OOMKilled (exit code 137) at its memory limit of 256Mi; it recovered 3 h ago after 9 restarts and has been running since.',
    ],
  ])(
    'reports an OOM kill the container recovered from by how long ago (now %s: %s)',
    (now, severity, text) => {
      const ctx = loadContext('pod-oomkilled');
      ctx.now = Date.parse(now);
      ctx.events = [];
      const cs0 = ctx.pods[0].status!.containerStatuses![0];
      cs0.state = { running: { startedAt: new Date('2025-01-14T09:36:00Z') } };
      cs0.ready = true;
      const [finding] = podAnalyzer.analyze(ctx);
      expect(finding).toMatchObject({
        code: 'OOMKilled',
        severity,
        message: `Container "app" of Pod shop/report-worker-59d8c7b6f4-h9zq2 (Deployment report-worker) ${text}`,
      });
    },
  );

  it('reports an absent referenced Secret as a warning while the pod still runs', () => {
    const ctx = loadContext('pod-crashloop');
    ctx.events = [];
    ctx.pods[0].status!.containerStatuses![0] = {
      ...ctx.pods[0].status!.containerStatuses![0],
      state: { running: { startedAt: new Date() } },
      lastState: {},
      restartCount: 0,
      ready: true,
    };
    ctx.missing = [{ kind: 'Secret', namespace: 'shop', name: 'checkout-db' }];
    expect(podAnalyzer.analyze(ctx)).toEqual([
      expect.objectContaining({
        code: 'MissingSecret',
        severity: 'warning',
        container: 'app',
        message:
          'Pod shop/checkout-7d9f8b6c5d-x7k2p (Deployment checkout): Secret "checkout-db" does not exist in namespace shop (the pod still runs, but a new pod would not start).',
        evidence: [
          owner('ReplicaSet/checkout-7d9f8b6c5d → Deployment/checkout'),
          f('Secret/checkout-db', 'not found (metadata-only existence check)'),
          f(
            'spec.containers[app].env[DB_PASSWORD].valueFrom.secretKeyRef.name',
            'checkout-db',
          ),
        ],
      }),
    ]);
  });

  it('reads a missing key of an existing ConfigMap from the kubelet message', () => {
    const ctx = loadContext('pod-missing-configmap');
    ctx.missing = [];
    ctx.pods[0].status!.containerStatuses![0].state!.waiting!.message =
      "couldn't find key db.host in ConfigMap shop/orders-config";
    const [finding] = podAnalyzer.analyze(ctx);
    expect(finding.code).toBe('MissingConfigMap');
    expect(finding.message).toBe(
      'Pod shop/orders-5f6d8c7b9-w8x2n (Deployment orders): ConfigMap "orders-config" has no key "db.host", so container "app" cannot start.',
    );
  });
});

describe('configReferencesOf', () => {
  it('lists the non-optional ConfigMaps and Secrets a pod needs, with where they are referenced', () => {
    const [p] = loadContext('pod-missing-configmap').pods;
    expect(configReferencesOf(p)).toEqual([
      {
        kind: 'ConfigMap',
        name: 'orders-config',
        container: 'app',
        key: 'db.host',
        path: 'spec.containers[app].env[DB_HOST].valueFrom.configMapKeyRef.name',
      },
      {
        kind: 'Secret',
        name: 'orders-secrets',
        container: 'app',
        path: 'spec.containers[app].envFrom[0].secretRef.name',
      },
      // The service-account CA bundle every pod mounts.
      {
        kind: 'ConfigMap',
        name: 'kube-root-ca.crt',
        path: 'spec.volumes[kube-api-access-7xk2p].projected.sources[1].configMap.name',
      },
    ]);
  });
});
