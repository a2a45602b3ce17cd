import { mockCredentials } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { KubernetesBackendClient } from '../kubernetes/types';
import { readRevisions } from './readRevisions';

const credentials = mockCredentials.user('user:default/alice');
const live = (kind: string) => ({
  kind,
  metadata: { name: 'db', namespace: 'data', uid: 'u1' },
  spec: { selector: { matchLabels: { app: 'db', tier: 'data' } }, template: {} },
});

function client(read: jest.Mock) {
  return { read } as unknown as KubernetesBackendClient;
}

describe('readRevisions', () => {
  it("lists a StatefulSet's ControllerRevisions by its selector, as the user, keeping those it owns", async () => {
    const read = jest.fn().mockResolvedValue({
      items: [
        {
          metadata: { name: 'db-1', ownerReferences: [{ kind: 'StatefulSet', name: 'db', uid: 'u1' }] },
          revision: 1,
          data: { spec: { template: { spec: { containers: [{ name: 'db', image: 'db:14' }] } } } },
        },
        {
          metadata: { name: 'other-1', ownerReferences: [{ kind: 'StatefulSet', name: 'other', uid: 'u2' }] },
          revision: 1,
          data: { spec: { template: {} } },
        },
      ],
    });
    const target = { cluster: 'east', kind: 'StatefulSet' as const, namespace: 'data', name: 'db' };
    const revisions = await readRevisions(client(read), target, live('StatefulSet'), credentials);
    expect(revisions.map(r => r.name)).toEqual(['db-1']);
    expect(read).toHaveBeenCalledWith({
      cluster: 'east',
      path: '/apis/apps/v1/namespaces/data/controllerrevisions',
      query: { labelSelector: 'app=db,tier=data' },
      credentials,
    });
  });

  it('reads the ReplicaSets of a Deployment', async () => {
    const read = jest.fn().mockResolvedValue({ items: [] });
    const target = { cluster: 'east', kind: 'Deployment' as const, namespace: 'data', name: 'db' };
    await readRevisions(client(read), target, live('Deployment'), credentials);
    expect(read.mock.calls[0][0].path).toBe('/apis/apps/v1/namespaces/data/replicasets');
  });

  it('answers no revisions when the cluster does not serve the kind, and passes other errors on', async () => {
    const target = { cluster: 'east', kind: 'StatefulSet' as const, namespace: 'data', name: 'db' };
    await expect(
      readRevisions(client(jest.fn().mockRejectedValue(new NotFoundError('no'))), target, live('StatefulSet'), credentials),
    ).resolves.toEqual([]);
    await expect(
      readRevisions(client(jest.fn().mockRejectedValue(new Error('down'))), target, live('StatefulSet'), credentials),
    ).rejects.toThrow('down');
  });
});
