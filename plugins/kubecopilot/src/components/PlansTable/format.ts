import { parseEntityRef } from '@backstage/catalog-model';
import { ResourceRef } from '@kubecopilot/backstage-plugin-kubecopilot-common';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/**
 * "5 minutes ago", "2 days ago"; "just now" (or `justNow`) under a minute;
 * in the user's `locale` ("5 分钟前").
 */
export function formatAge(
  iso: string,
  now: number = Date.now(),
  options: { locale?: string; justNow?: string } = {},
): string {
  const elapsed = now - Date.parse(iso);
  if (!Number.isFinite(elapsed)) {
    return iso;
  }
  const format = new Intl.RelativeTimeFormat(options.locale ?? 'en', {
    numeric: 'auto',
  });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(elapsed) >= ms) {
      return format.format(-Math.floor(elapsed / ms), unit);
    }
  }
  return options.justNow ?? 'just now';
}

/** `Deployment shop/checkout` */
export function formatTarget(resource: ResourceRef): string {
  const path = resource.namespace
    ? `${resource.namespace}/${resource.name}`
    : resource.name;
  return `${resource.kind} ${path}`;
}

/** `user:default/jane` → `jane`; anything unparseable stays as it is. */
export function formatUser(ref: string): string {
  try {
    const { kind, namespace, name } = parseEntityRef(ref, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
    if (kind.toLocaleLowerCase('en-US') !== 'user') {
      return ref;
    }
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}
