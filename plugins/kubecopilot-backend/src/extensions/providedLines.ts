import type { KubecopilotProvidedContext } from './types';

/**
 * What context providers added, as prompt lines: `Deployment shop/checkout
 * [acme/argocd] Application checkout is OutOfSync (sync: OutOfSync)`. The
 * object comes first, so the budget keeps lines about objects with findings
 * longer. Items are already bounded and redacted (`boundItems`); the lines
 * go into the prompt's data section, never its instructions.
 */
export function providedLines(
  provided: readonly KubecopilotProvidedContext[],
): string[] {
  return provided.flatMap(({ provider, items }) =>
    items.map(item => {
      const r = item.resource;
      const about = r
        ? `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} `
        : '';
      const facts = Object.entries(item.facts)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ');
      return `${about}[${provider}] ${item.title}${facts ? ` (${facts})` : ''}`;
    }),
  );
}
