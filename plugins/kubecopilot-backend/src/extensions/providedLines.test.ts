import { fitToBudget, renderPromptContext } from '../diagnosis/budget';
import { providedLines } from './providedLines';
import type { KubecopilotProvidedContext } from './types';

describe('providedLines', () => {
  const provided: KubecopilotProvidedContext[] = [
    {
      provider: 'acme/argocd',
      items: [
        {
          resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
          title: 'Application checkout is OutOfSync',
          facts: { sync: 'OutOfSync', revision: '4f2c9e1' },
        },
        { title: 'Argo CD reachable', facts: {} },
      ],
    },
  ];

  it('puts the object first, then the provider, the title and the facts', () => {
    expect(providedLines(provided)).toEqual([
      'Deployment shop/checkout [acme/argocd] Application checkout is OutOfSync (sync: OutOfSync; revision: 4f2c9e1)',
      '[acme/argocd] Argo CD reachable',
    ]);
  });

  it('reaches the prompt in its own section, and the budget cuts unrelated lines first', () => {
    const lines = providedLines(provided);
    const context = {
      cluster: 'demo',
      findings: [
        {
          analyzer: 'deployment',
          code: 'DeploymentUnavailable',
          severity: 'critical' as const,
          cluster: 'demo',
          resource: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
          message: 'checkout has no available replicas',
          evidence: [],
        },
      ],
      objects: ['Deployment shop/checkout replicas 0/1'],
      events: [],
      logs: [],
      provided: [
        ...lines,
        ...Array.from(
          { length: 40 },
          (_, i) => `[acme/argocd] noise ${i} ${'x'.repeat(200)}`,
        ),
      ],
    };
    expect(renderPromptContext(context)).toContain(
      `## From KubeCopilot modules\n${lines[0]}`,
    );
    const fitted = fitToBudget(context, 300);
    expect(fitted.context.provided).toContain(lines[0]);
    expect(fitted.context.provided!.length).toBeLessThan(
      context.provided.length,
    );
  });
});
