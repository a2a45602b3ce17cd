import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from '../cluster';
import { T } from '../api/resources';
import { loadScenarios, ScenarioError } from './load';
import { SCENARIO_DIR } from '../__testUtils__/raw';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-cluster-scenarios-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function load(scenarios: string[] = [], objects: object[] = []) {
  const cluster = new Cluster({ podStartupMs: 10, caPem: 'CA' });
  const result = loadScenarios(cluster, { scenarios, objects, caPem: 'CA' });
  return { cluster, result };
}

function loadError(scenarios: string[], objects: object[] = []): ScenarioError {
  try {
    load(scenarios, objects);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n';

describe('the example scenarios', () => {
  it('load as a directory, as demo.yaml, and file by file', () => {
    const all = load([SCENARIO_DIR]);
    const demo = load([path.join(SCENARIO_DIR, 'demo.yaml')]);
    expect(demo.cluster.store.list(T.pods).length).toBe(
      all.cluster.store.list(T.pods).length,
    );
    expect(all.result.files.map(f => path.basename(f))).toContain(
      'cluster.yaml',
    );
    for (const f of fs.readdirSync(SCENARIO_DIR)) {
      expect(() => load([path.join(SCENARIO_DIR, f)])).not.toThrow();
    }
  });

  it('label every workload object in namespace shop with backstage.io/kubernetes-id', () => {
    const { cluster } = load([SCENARIO_DIR]);
    const ids = [
      'storefront',
      'checkout',
      'recommendations',
      'image-resizer',
      'ml-trainer',
      'search',
      'mailer',
      'inventory',
      'payments',
    ];
    for (const id of ids) {
      for (const rt of [T.deployments, T.replicasets, T.pods]) {
        const objs = cluster.store
          .list(rt, 'shop')
          .filter(
            o =>
              o.metadata.name!.startsWith(`${id}-`) || o.metadata.name === id,
          );
        expect({ id, kind: rt.kind, n: objs.length > 0 }).toEqual({
          id,
          kind: rt.kind,
          n: true,
        });
        for (const o of objs)
          expect(o.metadata.labels?.['backstage.io/kubernetes-id']).toBe(id);
      }
    }
    for (const svc of cluster.store.list(T.services, 'shop')) {
      expect(ids).toContain(
        svc.metadata.labels?.['backstage.io/kubernetes-id'],
      );
    }
    expect(cluster.store.list(T.nodes).map(n => n.metadata.name)).toEqual([
      'demo-node-1',
      'demo-node-2',
    ]);
  });

  it('rebase timestamps so the time anchor is the start time', () => {
    const { cluster } = load([path.join(SCENARIO_DIR, 'checkout.yaml')]);
    const pod = cluster.store.list(T.pods, 'shop')[0];
    const ageMin =
      (Date.now() - Date.parse(pod.metadata.creationTimestamp!)) / 60000;
    expect(ageMin).toBeGreaterThan(37);
    expect(ageMin).toBeLessThan(39);
    const logs = cluster.logs.get(
      'shop',
      pod.metadata.name!,
      'checkout',
      true,
    )!;
    expect(Date.now() - Date.parse(logs[0].split(' ')[0])).toBeLessThan(
      8 * 60000,
    );
  });
});

describe('scenario documents', () => {
  it('accepts JSON-style YAML, Lists, ContainerLogs and ImageBehaviors, and fills in uids', () => {
    const f = file(
      'ok.yaml',
      `${NS}---\n{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "demo"}}]}\n---\n` +
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: demo}\nspec: {nodeName: n1, containers: [{name: c, image: "x:1"}]}\nstatus: {phase: Running}\n---\n' +
        'apiVersion: kubecopilot.dev/v1alpha1\nkind: ContainerLog\nmetadata: {namespace: demo}\npod: p\ncontainer: c\nlines: ["hello", "world"]\n---\n' +
        'apiVersion: kubecopilot.dev/v1alpha1\nkind: ImageBehavior\nmetadata: {name: broken}\nspec: {image: "x:*", behavior: CrashLoopBackOff, exitCode: 2}\n',
    );
    const { cluster, result } = load([f]);
    expect(result).toMatchObject({ logs: 1, behaviors: 1 });
    expect(cluster.store.get(T.configmaps, 'demo', 'a')?.metadata.uid).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    expect(cluster.store.get(T.pods, 'demo', 'p')?.status).toEqual({
      phase: 'Running',
    });
    expect(cluster.logs.get('demo', 'p', 'c', false)).toEqual([
      'hello',
      'world',
    ]);
    expect(cluster.behaviors.match('x:1.2')).toMatchObject({
      behavior: 'CrashLoopBackOff',
      exitCode: 2,
    });
    expect(cluster.behaviors.match('y:1')).toBeUndefined();
    // built-ins
    expect(
      cluster.store.get(T.services, 'default', 'kubernetes')?.spec?.clusterIP,
    ).toBe('10.96.0.1');
    expect(
      cluster.store.get(T.serviceaccounts, 'demo', 'default'),
    ).toBeDefined();
  });

  it.each([
    ['syntax', `${NS}---\nkind: [unclosed\n`, 1, /YAML error/],
    ['not a mapping', `${NS}---\n- a\n- b\n`, 1, /must be a mapping/],
    [
      'unknown kind',
      `${NS}---\napiVersion: v1\nkind: Widget\nmetadata: {name: w}\n`,
      1,
      /unknown kind "Widget"/,
    ],
    [
      'wrong group',
      `${NS}---\napiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\n`,
      1,
      /Deployment is served as apiVersion apps\/v1/,
    ],
    [
      'missing kind',
      `${NS}---\napiVersion: v1\nmetadata: {name: w}\n`,
      1,
      /missing kind/,
    ],
    [
      'invalid name',
      `${NS}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name, namespace: demo}\n`,
      1,
      /metadata\.name: Invalid value: "Bad_Name"/,
    ],
    [
      'missing namespace',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: elsewhere}\n',
      0,
      /namespace "elsewhere" is not defined/,
    ],
    [
      'duplicate',
      `${NS}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: demo}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: demo}\n`,
      2,
      /duplicate ConfigMap demo\/c/,
    ],
    [
      'pod without containers',
      `${NS}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: demo}\nspec: {}\n`,
      1,
      /spec\.containers: Required value/,
    ],
    [
      'log for a missing pod',
      `${NS}---\napiVersion: kubecopilot.dev/v1alpha1\nkind: ContainerLog\nmetadata: {namespace: demo}\npod: ghost\ncontainer: c\nlines: []\n`,
      1,
      /pod demo\/ghost is not defined/,
    ],
    [
      'log lines not strings',
      `${NS}---\napiVersion: kubecopilot.dev/v1alpha1\nkind: ContainerLog\nmetadata: {namespace: demo}\npod: p\ncontainer: c\nlines: [1, 2]\n`,
      1,
      /lines must be a list of strings/,
    ],
    [
      'bad behaviour',
      `${NS}---\napiVersion: kubecopilot.dev/v1alpha1\nkind: ImageBehavior\nmetadata: {name: b}\nspec: {image: "x", behavior: Explode}\n`,
      1,
      /spec\.behavior must be one of/,
    ],
    [
      'unknown kubecopilot kind',
      `${NS}---\napiVersion: kubecopilot.dev/v1alpha1\nkind: Thing\n`,
      1,
      /unknown kind "Thing"/,
    ],
    [
      'bad time anchor',
      `apiVersion: kubecopilot.dev/v1alpha1\nkind: Scenario\nspec: {timeAnchor: yesterday}\n---\n${NS}`,
      0,
      /timeAnchor must be an RFC 3339 timestamp/,
    ],
    [
      'missing include',
      'apiVersion: kubecopilot.dev/v1alpha1\nkind: Scenario\nspec: {include: [nope.yaml]}\n',
      0,
      /nope\.yaml does not exist/,
    ],
    [
      'owner uid mismatch',
      `${NS}---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs, namespace: demo, uid: aaa}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: demo, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, uid: bbb}]}\nspec: {containers: [{name: c, image: i}]}\n`,
      2,
      /ownerReferences\[0\]\.uid bbb does not match ReplicaSet rs/,
    ],
  ])(
    'rejects %s with the file, document index and reason',
    (_name, text, index, reason) => {
      const f = file(
        `bad-${String(_name).replace(/\s+/g, '-')}.yaml`,
        text as string,
      );
      const err = loadError([f]);
      expect(err.file).toBe(f);
      expect(err.index).toBe(index);
      expect(err.message).toMatch(reason as RegExp);
      expect(err.message).toContain(`${f}, document index ${index}: `);
    },
  );

  it('applies an ImageBehavior with whenEnvMissing only while a listed variable is not set', () => {
    const f = file(
      'env.yaml',
      'apiVersion: kubecopilot.dev/v1alpha1\nkind: ImageBehavior\nmetadata: {name: needs-url}\nspec: {image: "shop:2", behavior: CrashLoopBackOff, whenEnvMissing: [API_URL, REGION]}\n',
    );
    const { cluster } = load([f]);
    const env = (vars: object[]) => ({ env: vars as any });
    expect(cluster.behaviors.behaviorOf('shop:2')).toBe('CrashLoopBackOff');
    expect(
      cluster.behaviors.behaviorOf(
        'shop:2',
        env([{ name: 'API_URL', value: 'http://api' }]),
      ),
    ).toBe('CrashLoopBackOff');
    // An empty value is not set.
    expect(
      cluster.behaviors.behaviorOf(
        'shop:2',
        env([
          { name: 'API_URL', value: 'http://api' },
          { name: 'REGION', value: '' },
        ]),
      ),
    ).toBe('CrashLoopBackOff');
    expect(
      cluster.behaviors.behaviorOf(
        'shop:2',
        env([
          { name: 'API_URL', value: 'http://api' },
          {
            name: 'REGION',
            valueFrom: { configMapKeyRef: { name: 'c', key: 'r' } },
          },
        ]),
      ),
    ).toBe('Running');
    const bad = file(
      'bad-env.yaml',
      'apiVersion: kubecopilot.dev/v1alpha1\nkind: ImageBehavior\nmetadata: {name: b}\nspec: {image: x, behavior: Running, whenEnvMissing: API_URL}\n',
    );
    expect(loadError([bad]).message).toContain(
      'ImageBehavior spec.whenEnvMissing must be a list of strings',
    );
  });

  it('rejects a missing path and an empty directory', () => {
    expect(loadError([path.join(dir, 'missing.yaml')]).reason).toBe(
      'no such file or directory',
    );
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    expect(loadError([empty]).reason).toMatch(/no \*\.yaml files/);
  });

  it('validates inline objects too', () => {
    const err = loadError([], [{ apiVersion: 'v1', kind: 'ConfigMap' }]);
    expect(err.message).toMatch(
      /\(inline objects\), document index 0: ConfigMap "" is invalid/,
    );
  });
});
