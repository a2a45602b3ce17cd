import type { V1Ingress } from '@kubernetes/client-node';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import type { AnalysisContext } from './types';
import { field, makeFinding, refOf } from './common';

// What an Ingress needs besides its Services: the TLS Secrets it names and
// the IngressClass that says which controller serves it.

const NAME = 'ingress';

const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS = 'kubernetes.io/ingress.class';

/** The TLS Secrets an Ingress names, with the field path of each. */
export function tlsSecretsOf(
  ing: V1Ingress,
): Array<{ name: string; path: string }> {
  return (ing.spec?.tls ?? []).flatMap((t, i) =>
    t.secretName
      ? [{ name: t.secretName, path: `spec.tls[${i}].secretName` }]
      : [],
  );
}

export function missingTls(
  ctx: AnalysisContext,
  ing: V1Ingress,
): Finding | undefined {
  const namespace = ing.metadata?.namespace;
  const absent = tlsSecretsOf(ing).filter(t =>
    ctx.missing.some(
      m =>
        m.kind === 'Secret' && m.namespace === namespace && m.name === t.name,
    ),
  );
  if (absent.length === 0) return undefined;
  const names = [...new Set(absent.map(t => t.name))];
  const hosts = (ing.spec?.tls ?? [])
    .filter(t => t.secretName && names.includes(t.secretName))
    .flatMap(t => t.hosts ?? []);
  return makeFinding(NAME, ctx, {
    code: 'IngressMissingTlsSecret',
    severity: 'error',
    resource: refOf('Ingress', ing),
    message: `Ingress ${namespace}/${ing.metadata?.name} names TLS ${
      names.length === 1 ? 'Secret' : 'Secrets'
    } ${names.map(n => `"${n}"`).join(', ')} that ${
      names.length === 1 ? 'does' : 'do'
    } not exist in namespace ${namespace}: the controller serves ${
      hosts.length ? hosts.join(', ') : 'its hosts'
    } with its default (self-signed) certificate or not at all over HTTPS.`,
    evidence: [
      ...absent.map(t => field(t.path, t.name)),
      ...names.map(n =>
        field(`Secret/${n}`, 'not found (metadata-only existence check)'),
      ),
    ],
    proposedFix: {
      description: `Create the TLS Secret${
        names.length === 1 ? '' : 's'
      } ${names.join(
        ', ',
      )} (type kubernetes.io/tls) in namespace ${namespace} — or let cert-manager issue ${
        names.length === 1 ? 'it' : 'them'
      } — or fix spec.tls[].secretName.`,
    },
  });
}

export function missingClass(
  ctx: AnalysisContext,
  ing: V1Ingress,
): Finding | undefined {
  const classes = ctx.ingressclasses;
  // Unknown classes, or the legacy annotation a controller reads instead.
  if (!classes || ing.metadata?.annotations?.[LEGACY_CLASS]) return undefined;
  const wanted = ing.spec?.ingressClassName;
  const names = classes.map(c => c.metadata?.name ?? '').sort();
  const id = `Ingress ${ing.metadata?.namespace}/${ing.metadata?.name}`;
  const known = field('ingressclasses', names.join(', ') || 'none');
  if (wanted && !names.includes(wanted)) {
    return makeFinding(NAME, ctx, {
      code: 'IngressMissingClass',
      severity: 'error',
      resource: refOf('Ingress', ing),
      message: `${id} asks for IngressClass "${wanted}", which does not exist: no controller serves it.`,
      evidence: [field('spec.ingressClassName', wanted), known],
      proposedFix: {
        description: `Set spec.ingressClassName of ${id} to an existing class (${
          names.join(', ') || 'none installed'
        }), or install the controller that provides "${wanted}".`,
      },
    });
  }
  const hasDefault = classes.some(
    c => c.metadata?.annotations?.[DEFAULT_CLASS] === 'true',
  );
  if (!wanted && !hasDefault) {
    return makeFinding(NAME, ctx, {
      code: 'IngressMissingClass',
      severity: 'warning',
      resource: refOf('Ingress', ing),
      message: `${id} names no IngressClass and the cluster has no default one: controllers may ignore it.`,
      evidence: [field('spec.ingressClassName', '(unset)'), known],
      proposedFix: {
        description: `Set spec.ingressClassName of ${id} to the class of the controller that should serve it (${
          names.join(', ') || 'none installed'
        }).`,
      },
    });
  }
  return undefined;
}
