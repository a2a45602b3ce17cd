import type { V1Ingress } from '@kubernetes/client-node';
import type {
  Finding,
  FindingEvidence,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext, Analyzer } from './types';
import { missingClass, missingTls } from './ingressRefs';
import { servicePortMismatch } from './ingressPorts';
import {
  compact,
  eventEvidence,
  eventsFor,
  field,
  latestEvents,
  makeFinding,
  refOf,
} from './common';

const NAME = 'ingress';

interface Backend {
  service: string;
  path: string;
}

/** Every Service an Ingress routes to, with the field path that names it. */
function backendsOf(ing: V1Ingress): Backend[] {
  const out: Backend[] = [];
  const def = ing.spec?.defaultBackend?.service?.name;
  if (def) out.push({ service: def, path: 'spec.defaultBackend.service.name' });
  (ing.spec?.rules ?? []).forEach((rule, r) =>
    (rule.http?.paths ?? []).forEach((p, i) => {
      const name = p.backend?.service?.name;
      if (name)
        out.push({
          service: name,
          path: `spec.rules[${r}].http.paths[${i}].backend.service.name`,
        });
    }),
  );
  return out;
}

export const ingressAnalyzer: Analyzer = {
  name: NAME,
  kinds: ['Ingress'],
  analyze(ctx) {
    return ctx.ingresses.flatMap(ing => [
      ...missingServices(ctx, ing),
      ...compact([
        servicePortMismatch(ctx, ing),
        missingTls(ctx, ing),
        missingClass(ctx, ing),
      ]),
    ]);
  },
};

function missingServices(ctx: AnalysisContext, ing: V1Ingress): Finding[] {
  const namespace = ing.metadata?.namespace;
  const known = new Set(
    ctx.services
      .filter(s => s.metadata?.namespace === namespace)
      .map(s => s.metadata?.name),
  );
  const missing = backendsOf(ing).filter(b => !known.has(b.service));
  if (missing.length === 0) return [];
  const names = [...new Set(missing.map(b => b.service))];
  const id = `Ingress ${namespace}/${ing.metadata?.name}`;
  // The controller's sync events often say the same thing in its own words.
  const events = latestEvents(
    eventsFor(ctx, 'Ingress', namespace, ing.metadata?.name ?? '').filter(
      e => e.type === 'Warning',
    ),
    2,
  );
  const evidence: FindingEvidence[] = [
    ...missing.map(b => field(b.path, b.service)),
    field(
      `services in namespace ${namespace}`,
      [...known].sort().join(', ') || 'none',
    ),
    ...events.map(eventEvidence),
  ];
  // One finding per Ingress: the dedup key (code + resource) would merge per-backend ones.
  return [
    makeFinding(NAME, ctx, {
      code: 'IngressMissingService',
      severity: 'error',
      resource: refOf('Ingress', ing),
      message: `${id} routes to ${
        names.length === 1 ? 'Service' : 'Services'
      } ${names.map(n => `"${n}"`).join(', ')} that ${
        names.length === 1 ? 'does' : 'do'
      } not exist in namespace ${namespace}; requests for ${
        names.length === 1 ? 'it' : 'them'
      } fail (typically 503).`,
      evidence,
      proposedFix: {
        description: `Point the backend(s) of ${id} at an existing Service, or create ${names
          .map(n => `Service "${n}"`)
          .join(', ')} in namespace ${namespace}.`,
      },
    }),
  ];
}
