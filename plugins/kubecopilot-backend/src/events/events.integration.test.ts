/**
 * The events timeline through the real HTTP API, with the real Kubernetes
 * backend, on the demo cluster: checkout's crash loop as the kubelet
 * reported it, and a plan KubeCopilot executed as a mark beside it.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { eventsResponseSchema } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import request from 'supertest';
import { CHECKOUT, shopStack } from '../__testUtils__/demoBackend';

jest.setTimeout(120_000);

const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');

describe('the events timeline on the demo cluster', () => {
  const stack = shopStack();

  const events = (query: Record<string, string> = {}) =>
    request(stack.server())
      .get('/api/kubecopilot/events')
      .query({ entityRef: CHECKOUT, ...query })
      .set('authorization', alice);

  it("shows checkout's back-off and pulls, newest first, with the container and count", async () => {
    const res = await events();
    expect(res.status).toBe(200);
    expect(eventsResponseSchema.parse(res.body)).toEqual(res.body);
    expect(res.body.errors).toEqual([]);
    const items: any[] = res.body.items;
    const times = items.map(e => e.lastTime);
    expect(times).toEqual([...times].sort().reverse());
    // Only checkout's objects: no other app of the shop namespace.
    expect(items.filter(e => !e.object.name.startsWith('checkout'))).toEqual(
      [],
    );

    const backOff = items.find(e => e.reason === 'BackOff');
    expect(backOff).toMatchObject({
      cluster: 'demo',
      namespace: 'shop',
      object: { kind: 'Pod', name: expect.stringMatching(/^checkout-/) },
      fieldPath: 'spec.containers{checkout}',
      container: 'checkout',
      type: 'Warning',
      message: expect.stringMatching(
        /^Back-off restarting failed container checkout in pod checkout-/,
      ),
      source: expect.stringContaining('kubelet'),
    });
    expect(backOff.count).toBeGreaterThan(100);
    expect(items.find(e => e.reason === 'Pulled')).toMatchObject({
      type: 'Normal',
      container: 'checkout',
      message:
        'Container image "ghcr.io/kubecopilot-demo/checkout:2.3.1" already present on machine',
    });

    const warnings = await events({ type: 'Warning' });
    expect(warnings.body.items.map((e: any) => e.reason)).toEqual(['BackOff']);
    const newest = await events({ type: 'Normal', limit: '2' });
    expect(newest.body.items).toEqual(
      items.filter(e => e.type === 'Normal').slice(0, 2),
    );
    expect(newest.body.truncated).toBe(true);
  });

  it('marks a plan KubeCopilot executed for checkout', async () => {
    const created = await stack.createPlan(alice, {
      entityRef: CHECKOUT,
      intent: 'scale checkout to 2',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await stack.act(bob, id, 'approve')).body.status).toBe('confirmed');
    expect((await stack.act(bob, id, 'execute')).body.status).toBe('executed');

    const res = await events();
    expect(res.status).toBe(200);
    expect(res.body.markers).toEqual([
      expect.objectContaining({
        planId: id,
        what: 'executed',
        action: 'scale',
        resource: expect.objectContaining({
          kind: 'Deployment',
          name: 'checkout',
        }),
        by: 'user:default/bob',
      }),
    ]);
  });
});
