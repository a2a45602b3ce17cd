import type {
  V1Ingress,
  V1IngressServiceBackend,
} from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import { field, makeFinding, refOf } from './common';

// An Ingress backend names a Service port by number or by name; the
// controller resolves it against the Service's spec.ports and, when none
// matches, has no upstream for the path (ingress-nginx answers 503).

const NAME = 'ingress';

interface PortRef {
  service: string;
  /** The port as the Ingress names it: `8080` or `"http"`. */
  port: string;
  path: string;
}

function portRefOf(
  backend: V1IngressServiceBackend | undefined,
  path: string,
): PortRef | undefined {
  if (!backend?.name || !backend.port) return undefined;
  const { number, name } = backend.port;
  if (number !== undefined && number !== null) {
    return {
      service: backend.name,
      port: String(number),
      path: `${path}.port.number`,
    };
  }
  if (name) {
    return {
      service: backend.name,
      port: `"${name}"`,
      path: `${path}.port.name`,
    };
  }
  return undefined;
}

function portRefsOf(ing: V1Ingress): PortRef[] {
  const refs: Array<PortRef | undefined> = [
    portRefOf(ing.spec?.defaultBackend?.service, 'spec.defaultBackend.service'),
  ];
  (ing.spec?.rules ?? []).forEach((rule, r) =>
    (rule.http?.paths ?? []).forEach((p, i) =>
      refs.push(
        portRefOf(
          p.backend?.service,
          `spec.rules[${r}].http.paths[${i}].backend.service`,
        ),
      ),
    ),
  );
  return refs.filter((r): r is PortRef => !!r);
}

/**
 * Backends whose Service exists but has no port of that number or name.
 * A missing Service is IngressMissingService's to report; an ExternalName
 * Service may legitimately declare no ports.
 */
export function servicePortMismatch(
  ctx: AnalysisContext,
  ing: V1Ingress,
): Finding | undefined {
  const namespace = ing.metadata?.namespace;
  const wrong = portRefsOf(ing).flatMap(ref => {
    const svc = ctx.services.find(
      s =>
        s.metadata?.namespace === namespace && s.metadata?.name === ref.service,
    );
    if (!svc || svc.spec?.type === 'ExternalName') return [];
    const ports = svc.spec?.ports ?? [];
    const found = ports.some(p =>
      ref.port.startsWith('"')
        ? `"${p.name}"` === ref.port
        : String(p.port) === ref.port,
    );
    if (found) return [];
    const has =
      ports
        .map(p => (p.name ? `${p.name}=${p.port}` : String(p.port)))
        .join(', ') || 'none';
    return [{ ...ref, has }];
  });
  if (wrong.length === 0) return undefined;
  const id = `Ingress ${namespace}/${ing.metadata?.name}`;
  const clauses = [
    ...new Set(
      wrong.map(
        w =>
          `port ${w.port} of Service "${w.service}", which has ports ${w.has}`,
      ),
    ),
  ];
  return makeFinding(NAME, ctx, {
    code: 'IngressServicePortMismatch',
    severity: 'error',
    resource: refOf('Ingress', ing),
    message: `${id} routes to ${
      wrong.length === 1 ? 'a Service port' : 'Service ports'
    } that do${wrong.length === 1 ? 'es' : ''} not exist: ${clauses.join(
      '; ',
    )}. The controller has no upstream for ${
      wrong.length === 1 ? 'that path' : 'those paths'
    }, so requests fail (typically 503).`,
    evidence: [
      ...wrong.map(w => field(w.path, w.port.replace(/"/g, ''))),
      ...[...new Set(wrong.map(w => w.service))].map(s => {
        const w = wrong.find(x => x.service === s)!;
        return field(`Service/${s}.spec.ports`, w.has);
      }),
    ],
    proposedFix: {
      description: `Point each backend of ${id} at a port the Service exposes (its spec.ports[].port or name, not the container's targetPort), or add that port to the Service. Editing an Ingress is not a plan KubeCopilot offers: apply the change through its manifest.`,
    },
  });
}
