/**
 * Who may call what, through the real HTTP API: every KubeCopilot route ×
 * {an owner of the entity, another user, a member of the high-risk group
 * (sre), a service principal, no credentials}. This plugin runs with the
 * real Kubernetes backend against the demo cluster, and with the real
 * permission framework: the permissions service asks the permission
 * backend, whose policy decides like the example policy in
 * packages/backend — sre reads everything; other users read the plans,
 * audit entries and diagnoses of entities their groups own.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  kubecopilotEntityPermissions,
  kubecopilotPlanApprovePermission,
  kubecopilotPlanExecutePermission,
  kubecopilotPlanReadPermission,
  kubecopilotPlanRevertPermission,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { DemoCluster, startDemoCluster } from '@kubecopilot/demo-cluster';
import { Server } from 'node:http';
import request from 'supertest';
import {
  backendConfig,
  CHECKOUT,
  component,
  shopScenarios,
} from './__testUtils__/demoBackend';
import { actorHttpAuthFactory } from './__testUtils__/actorHttpAuth';
import {
  createKubecopilotEntityConditionalDecision,
  createKubecopilotPlanConditionalDecision,
  kubecopilotEntityConditions,
  kubecopilotPlanConditions,
} from './permissions/conditions';
import { kubecopilotPlugin } from './plugin';

jest.setTimeout(180_000);

const STOREFRONT = 'component:default/storefront';

const principals = {
  /** Member of team-shop, which owns checkout. */
  owner: mockCredentials.user.header('user:default/alice'),
  /** Member of team-web, which owns storefront. */
  other: mockCredentials.user.header('user:default/olive'),
  /** Member of sre, the example policy's high-risk group. */
  sre: mockCredentials.user.header('user:default/sam'),
  service: mockCredentials.service.header(),
  none: undefined,
};
type Who = keyof typeof principals;
const WHO = Object.keys(principals) as Who[];

const claimsOf: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/team-shop'],
  'user:default/olive': ['user:default/olive', 'group:default/team-web'],
  'user:default/sam': ['user:default/sam', 'group:default/sre'],
};

/** The example policy's decisions, for the permissions KubeCopilot defines. */
async function examplePolicy(
  { permission }: PolicyQuery,
  user?: PolicyQueryUser,
): Promise<PolicyDecision> {
  const decides = [
    kubecopilotPlanApprovePermission,
    kubecopilotPlanExecutePermission,
    kubecopilotPlanRevertPermission,
  ].find(p => isPermission(permission, p));
  const entityRead = kubecopilotEntityPermissions.find(p =>
    isPermission(permission, p),
  );
  const planRead = isPermission(permission, kubecopilotPlanReadPermission);
  if (!decides && !entityRead && !planRead) {
    return { result: AuthorizeResult.ALLOW };
  }
  if (!user) return { result: AuthorizeResult.DENY };
  const claims = user.info.ownershipEntityRefs;
  if (claims.includes('group:default/sre')) {
    return { result: AuthorizeResult.ALLOW };
  }
  if (entityRead) {
    return createKubecopilotEntityConditionalDecision(
      entityRead,
      kubecopilotEntityConditions.isEntityOwner({ claims }),
    );
  }
  const owned = kubecopilotPlanConditions.isEntityOwner({ claims });
  return decides
    ? createKubecopilotPlanConditionalDecision(decides, {
        allOf: [
          kubecopilotPlanConditions.isRiskLevel({ levels: ['low', 'medium'] }),
          owned,
        ],
      })
    : createKubecopilotPlanConditionalDecision(
        kubecopilotPlanReadPermission,
        owned,
      );
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'matrix-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({ handle: examplePolicy });
      },
    });
  },
});

/** Each user's groups, as the catalog would resolve them. */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const { userEntityRef } = credentials.principal as {
        userEntityRef: string;
      };
      return {
        userEntityRef,
        ownershipEntityRefs: claimsOf[userEntityRef] ?? [userEntityRef],
      };
    },
  }),
});

describe('authorization matrix: every route × owner, other user, sre, service, anonymous', () => {
  let cluster: DemoCluster;
  let server: Server;

  beforeAll(async () => {
    await import('@kubernetes/client-node');
    cluster = await startDemoCluster({
      port: 0,
      podStartupMs: 50,
      scenarios: shopScenarios(),
    });
    const backend = await startTestBackend({
      features: [
        kubecopilotPlugin,
        kubernetesPlugin,
        permissionPlugin,
        policyModule,
        permissionsServiceFactory,
        userInfoFactory,
        catalogServiceMock.factory({
          entities: [
            component('checkout'),
            component('storefront', 'group:default/team-web'),
          ],
        }),
        actorHttpAuthFactory,
        mockServices.rootConfig.factory({
          data: backendConfig(cluster, {
            permission: { enabled: true },
            kubecopilot: { limits: { rateLimit: { enabled: false } } },
          }),
        }),
      ],
    });
    server = backend.server;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  function call(who: Who, method: 'get' | 'post', path: string, body?: object) {
    const req = request(server)[method](`/api/kubecopilot${path}`);
    const header = principals[who];
    if (header) req.set('authorization', header);
    return body ? req.send(body) : req;
  }

  const replicas = (name: string): number =>
    (cluster.getObject('apps/v1', 'Deployment', 'shop', name) as any).spec
      .replicas;

  /** A fresh pending plan of `entity`, one replica up from now. */
  async function pendingPlan(entity: 'checkout' | 'storefront' = 'checkout') {
    const requester = entity === 'checkout' ? 'owner' : 'other';
    const res = await call(requester, 'post', '/plans', {
      entityRef: `component:default/${entity}`,
      intent: `scale ${entity} to ${replicas(entity) + 1}`,
    });
    expect(res.body.error).toBeUndefined();
    return res.body.id as string;
  }
  async function confirmedPlan() {
    const id = await pendingPlan();
    expect((await call('sre', 'post', `/plans/${id}/approve`, {})).status).toBe(
      200,
    );
    return id;
  }
  async function executedPlan() {
    const id = await confirmedPlan();
    expect((await call('sre', 'post', `/plans/${id}/execute`, {})).status).toBe(
      200,
    );
    return id;
  }

  let checkoutPlan: string;
  let storefrontPlan: string;
  beforeAll(async () => {
    checkoutPlan = await pendingPlan('checkout');
    storefrontPlan = await pendingPlan('storefront');
    for (const [who, entityRef] of [
      ['owner', CHECKOUT],
      ['other', STOREFRONT],
    ] as const) {
      const res = await call(who, 'post', '/diagnoses', { entityRef });
      if (res.status !== 200) {
        throw new Error(`diagnosing ${entityRef} answered ${res.status}`);
      }
    }
  });

  type Expected = Record<Who, number>;
  const row = (
    ok: number,
    other: number,
    service: number,
    anonymous = 401,
  ): Expected => ({ owner: ok, other, sre: ok, service, none: anonymous });

  /**
   * Every route and what each caller gets. Routes that change a plan get a
   * fresh plan of checkout for every caller, in the state the route needs.
   */
  const routes: Array<{
    route: string;
    expected: Expected;
    send: (who: Who) => Promise<request.Response>;
  }> = [
    {
      route: 'GET /health',
      expected: row(200, 200, 200, 200),
      send: who => call(who, 'get', '/health'),
    },
    {
      route: 'GET /workloads',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', `/workloads?entityRef=${CHECKOUT}`),
    },
    {
      route: 'GET /events',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', `/events?entityRef=${CHECKOUT}`),
    },
    {
      route: 'GET /metrics',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', `/metrics?entityRef=${CHECKOUT}&range=1h`),
    },
    {
      route: 'GET /slos',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', `/slos?entityRef=${CHECKOUT}`),
    },
    {
      route: 'POST /diagnoses',
      expected: row(200, 200, 200),
      send: who => call(who, 'post', '/diagnoses', { entityRef: CHECKOUT }),
    },
    {
      route: 'GET /diagnoses',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', `/diagnoses?entityRef=${CHECKOUT}`),
    },
    {
      route: 'POST /query',
      expected: row(200, 200, 403),
      send: who =>
        call(who, 'post', '/query', {
          entityRef: CHECKOUT,
          question: 'show me failing pods',
        }),
    },
    {
      route: 'POST /plans',
      expected: row(201, 201, 403),
      send: who =>
        call(who, 'post', '/plans', {
          entityRef: CHECKOUT,
          intent: 'restart checkout',
        }),
    },
    {
      route: 'POST /plans/canary',
      expected: row(201, 201, 403),
      send: who =>
        call(who, 'post', '/plans/canary', {
          entityRef: CHECKOUT,
          target: { name: 'checkout' },
          image: '2.4.0',
          steps: [50, 100],
          confirmPromotion: true,
        }),
    },
    {
      route: 'GET /plans',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', '/plans?limit=100'),
    },
    {
      route: 'GET /plans/:id',
      expected: row(200, 403, 200),
      send: who => call(who, 'get', `/plans/${checkoutPlan}`),
    },
    {
      route: 'POST /plans/:id/approve',
      expected: row(200, 403, 403),
      send: async who =>
        call(who, 'post', `/plans/${await pendingPlan()}/approve`, {}),
    },
    {
      route: 'POST /plans/:id/reject',
      expected: row(200, 403, 403),
      send: async who =>
        call(who, 'post', `/plans/${await pendingPlan()}/reject`, {
          comment: 'not now',
        }),
    },
    {
      route: 'POST /plans/:id/execute',
      expected: row(200, 403, 403),
      send: async who =>
        call(who, 'post', `/plans/${await confirmedPlan()}/execute`, {}),
    },
    {
      route: 'POST /plans/:id/revert',
      expected: row(200, 403, 403),
      send: async who =>
        call(who, 'post', `/plans/${await executedPlan()}/revert`, {}),
    },
    // A plan without steps: whoever passes the permission check is told it
    // has no such step (400); whoever does not gets 403 before that.
    {
      route: 'POST /plans/:id/steps/:stepId/confirm',
      expected: row(400, 403, 403),
      send: who =>
        call(who, 'post', `/plans/${checkoutPlan}/steps/promote/confirm`, {}),
    },
    {
      route: 'POST /plans/:id/steps/:stepId/decline',
      expected: row(400, 403, 403),
      send: who =>
        call(who, 'post', `/plans/${checkoutPlan}/steps/promote/decline`, {
          comment: 'no',
        }),
    },
    {
      route: 'GET /audit',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', '/audit?limit=1000'),
    },
    {
      route: 'GET /audit?planId=',
      expected: row(200, 403, 200),
      send: who => call(who, 'get', `/audit?planId=${checkoutPlan}`),
    },
    {
      route: 'GET /audit?planId= (no such plan)',
      expected: row(404, 404, 404),
      send: who => call(who, 'get', '/audit?planId=no-such-plan'),
    },
    {
      route: 'GET /audit/verify',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', '/audit/verify'),
    },
    {
      route: 'GET /findings',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', '/findings?status=open'),
    },
    {
      route: 'GET /alerts',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', '/alerts'),
    },
    // Alertmanager's webhook: service principals only.
    {
      route: 'POST /alerts',
      expected: row(403, 403, 200),
      send: who =>
        call(who, 'post', '/alerts', {
          version: '4',
          groupKey: '{}:{alertname="Matrix"}',
          status: 'firing',
          receiver: 'kubecopilot',
          groupLabels: {},
          commonLabels: {},
          commonAnnotations: {},
          alerts: [
            {
              status: 'firing',
              labels: { alertname: 'Matrix', instance: 'node-1' },
              annotations: {},
              startsAt: '2026-12-07T00:00:00.000Z',
              endsAt: '0001-01-01T00:00:00Z',
              fingerprint: 'f00dfeedf00dfeed',
            },
          ],
        }),
    },
    // A postmortem reads the entity's diagnoses and audit entries.
    {
      route: 'POST /postmortems',
      expected: row(201, 403, 201),
      send: who =>
        call(who, 'post', '/postmortems', {
          entityRef: CHECKOUT,
          from: new Date(Date.now() - 3_600_000).toISOString(),
          to: new Date().toISOString(),
        }),
    },
    {
      route: 'GET /postmortems',
      expected: row(200, 200, 200),
      send: who => call(who, 'get', `/postmortems?entityRef=${CHECKOUT}`),
    },
  ];

  it.each(routes.map(r => [r.route, r] as const))(
    '%s',
    async (_route, { expected, send }) => {
      const answered: Record<string, number> = {};
      const bodies: Record<string, unknown> = {};
      for (const who of WHO) {
        const res = await send(who);
        answered[who] = res.status;
        bodies[who] = res.body;
      }
      // One assertion for the whole row: a failure shows every caller.
      expect({ answered, bodies }).toMatchObject({ answered: expected });
    },
  );

  /** The entities a list answered about, for each caller that may list. */
  async function entitiesListed(path: string, key = 'entityRef') {
    const seen: Record<string, string[]> = {};
    for (const who of ['owner', 'other', 'sre', 'service'] as const) {
      const res = await call(who, 'get', path);
      expect(res.status).toBe(200);
      seen[who] = [
        ...new Set<string>(res.body.items.map((i: any) => i[key] || '-')),
      ].sort();
    }
    return seen;
  }
  const everyone = [CHECKOUT, STOREFRONT];

  it('GET /plans lists the plans each caller may read', async () => {
    await expect(entitiesListed('/plans?limit=100')).resolves.toEqual({
      owner: [CHECKOUT],
      other: [STOREFRONT],
      sre: everyone,
      service: everyone,
    });
  });

  it('GET /audit lists the entries of the entities each caller may read', async () => {
    await expect(entitiesListed('/audit?limit=1000')).resolves.toEqual({
      owner: [CHECKOUT],
      other: [STOREFRONT],
      sre: everyone,
      service: everyone,
    });
    await expect(
      entitiesListed(`/audit?entityRef=${STOREFRONT}`),
    ).resolves.toEqual({
      owner: [],
      other: [STOREFRONT],
      sre: [STOREFRONT],
      service: [STOREFRONT],
    });
    const trail = await call('owner', 'get', `/audit?planId=${checkoutPlan}`);
    expect(trail.body.items.map((e: any) => e.action)).toEqual([
      'plan.created',
    ]);
    const theirs = await call(
      'owner',
      'get',
      `/audit?planId=${storefrontPlan}`,
    );
    expect(theirs.status).toBe(403);
  });

  it('GET /diagnoses lists stored diagnoses to whoever may read the entity', async () => {
    await expect(
      entitiesListed(`/diagnoses?entityRef=${CHECKOUT}`),
    ).resolves.toEqual({
      owner: [CHECKOUT],
      other: [],
      sre: [CHECKOUT],
      service: [CHECKOUT],
    });
    await expect(
      entitiesListed(`/diagnoses?entityRef=${STOREFRONT}`),
    ).resolves.toEqual({
      owner: [],
      other: [STOREFRONT],
      sre: [STOREFRONT],
      service: [STOREFRONT],
    });
  });

  it('pages GET /audit newest first with an opaque cursor, and refuses a forged one', async () => {
    const pages: number[][] = [];
    let cursor: string | undefined;
    do {
      const res = await call(
        'sre',
        'get',
        `/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      pages.push(res.body.items.map((e: any) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const ids = pages.flat();
    expect(pages.length).toBeGreaterThan(2);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const all = await call('sre', 'get', '/audit?limit=1000');
    expect(ids).toEqual(all.body.items.map((e: any) => e.id));

    const forged = await call('sre', 'get', '/audit?cursor=eyJpZCI6LTF9');
    expect(forged.status).toBe(400);
    expect(forged.body.error.message).toMatch(/Invalid cursor/);
  });
});
