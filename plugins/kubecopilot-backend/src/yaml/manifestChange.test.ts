import { InputError } from '@backstage/errors';
import { stringify } from 'yaml';
import type { KubeObject } from '../kubernetes/types';
import { displayManifest, parseManifest } from './manifest';
import { changedPaths, updateFromManifest } from './manifestChange';

const live = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'checkout',
    namespace: 'shop',
    uid: 'efefa32b',
    resourceVersion: '812',
    generation: 2,
    creationTimestamp: '2026-01-13T12:00:00Z',
    labels: { app: 'checkout' },
    annotations: { 'deployment.kubernetes.io/revision': '2' },
    managedFields: [{ manager: 'kubectl', operation: 'Update' }],
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'checkout' } },
    template: {
      metadata: { labels: { app: 'checkout' } },
      spec: {
        containers: [
          {
            name: 'checkout',
            image: 'ghcr.io/kubecopilot-demo/checkout:2.3.1',
            env: [
              { name: 'NODE_ENV', value: 'production' },
              { name: 'DB_PASSWORD', value: 'hunter2-hunter2' },
              {
                name: 'API_KEY',
                valueFrom: { secretKeyRef: { name: 'checkout', key: 'api' } },
              },
            ],
            resources: { requests: { cpu: '100m', memory: '128Mi' } },
          },
        ],
      },
    },
  },
  status: { replicas: 1, readyReplicas: 1 },
});

/** The manifest as the YAML view shows it, edited. */
function edited(edit: (o: any) => void): string {
  const shown = parseManifest(displayManifest(live()));
  edit(shown);
  return stringify(shown);
}

const C = 'spec.template.spec.containers[0]';

describe('the YAML view of a live object', () => {
  it('hides status and server-set metadata and masks credentials', () => {
    const text = displayManifest(live());
    expect(text).not.toMatch(
      /status:|managedFields|resourceVersion|uid:|creationTimestamp|generation|deployment.kubernetes.io\/revision/,
    );
    expect(text).not.toContain('hunter2');
    expect(text).toContain('value: "[REDACTED]"');
    expect(text.startsWith('apiVersion: apps/v1\nkind: Deployment\n')).toBe(
      true,
    );
  });
});

describe('updateFromManifest', () => {
  it('turns whitelisted edits into update params', () => {
    const update = updateFromManifest(
      live(),
      edited(o => {
        o.spec.replicas = 3;
        o.spec.template.spec.containers[0].image =
          'ghcr.io/kubecopilot-demo/checkout:2.3.2';
        o.spec.template.spec.containers[0].resources.limits = {
          cpu: '200m',
          memory: '256Mi',
        };
        o.spec.template.spec.containers[0].env[0].value = 'staging';
      }),
    );
    expect(update.params).toEqual({
      replicas: 3,
      containers: {
        checkout: {
          image: 'ghcr.io/kubecopilot-demo/checkout:2.3.2',
          resources: {
            requests: { cpu: '100m', memory: '128Mi' },
            limits: { cpu: '200m', memory: '256Mi' },
          },
          env: { NODE_ENV: 'staging' },
        },
      },
    });
    expect(update.changed).toEqual([
      'spec.replicas',
      `${C}.image`,
      `${C}.env[0].value`,
      `${C}.resources.limits`,
    ]);
  });

  it('does not count the masked credential, the hidden fields or formatting as changes', () => {
    const text = `# edited by hand\n${edited(o => {
      o.spec.template.spec.containers[0].resources.limits = { memory: '256Mi' };
    })}`;
    expect(updateFromManifest(live(), text).params).toEqual({
      containers: {
        checkout: {
          resources: {
            requests: { cpu: '100m', memory: '128Mi' },
            limits: { memory: '256Mi' },
          },
        },
      },
    });
  });

  it.each([
    [
      'a label',
      (o: any) => (o.metadata.labels.team = 'shop'),
      'metadata.labels.team',
    ],
    [
      'a command',
      (o: any) => (o.spec.template.spec.containers[0].command = ['sh']),
      `${C}.command`,
    ],
    [
      'a volume',
      (o: any) =>
        (o.spec.template.spec.volumes = [{ name: 'tmp', emptyDir: {} }]),
      'spec.template.spec.volumes',
    ],
    [
      'a new env entry',
      (o: any) =>
        o.spec.template.spec.containers[0].env.push({ name: 'X', value: '1' }),
      `${C}.env`,
    ],
    [
      'a Secret reference',
      (o: any) =>
        (o.spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.key =
          'other'),
      `${C}.env[2].valueFrom.secretKeyRef.key`,
    ],
    ['the name', (o: any) => (o.metadata.name = 'other'), 'metadata.name'],
  ])('refuses %s, naming the path', (_what, edit, path) => {
    const text = edited(o => {
      o.spec.replicas = 2;
      edit(o);
    });
    expect(() => updateFromManifest(live(), text)).toThrow(InputError);
    expect(() => updateFromManifest(live(), text)).toThrow(
      new RegExp(`cannot change: ${path.replace(/[.[\]]/g, '\\$&')}\\.`),
    );
  });

  it('names every disallowed path at once', () => {
    const text = edited(o => {
      o.metadata.labels.team = 'shop';
      o.spec.template.spec.containers[0].command = ['sh'];
    });
    expect(() => updateFromManifest(live(), text)).toThrow(
      `cannot change: metadata.labels.team, ${C}.command.`,
    );
  });

  it.each([
    ['', /empty|exactly one object/],
    ['a: [1, 2', /not valid YAML/],
    ['- 1\n- 2', /mapping/],
    [
      'kind: Deployment\n---\nkind: Service\n',
      /exactly one object; it holds 2/,
    ],
  ])('refuses a manifest that is not one object: %j', (text, message) => {
    expect(() => updateFromManifest(live(), text)).toThrow(message);
  });

  it('refuses an edit that changes nothing', () => {
    expect(() =>
      updateFromManifest(
        live(),
        edited(() => {}),
      ),
    ).toThrow('changes nothing');
  });
});

describe('changedPaths', () => {
  it('walks objects by key and arrays by index', () => {
    expect(
      changedPaths({ a: [{ b: 1 }, 2], c: 3 }, { a: [{ b: 2 }, 2], d: 4 }),
    ).toEqual(['a[0].b', 'c', 'd']);
    expect(changedPaths({ a: [1] }, { a: [1, 2] })).toEqual(['a']);
  });
});
