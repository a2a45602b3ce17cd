import type {
  KubecopilotAnalyzer,
  KubecopilotContextProvider,
  KubecopilotProvidedItem,
} from '@kubecopilot/backstage-plugin-kubecopilot-backend';
import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** The provider whose items the analyzer reads. */
export const TLS_SECRETS_PROVIDER = 'example/tls-secrets';

/** cert-manager's names for the certificate behind a Secret. */
const NAME_ANNOTATIONS = [
  'cert-manager.io/certificate-name',
  'cert-manager.io/common-name',
  'cert-manager.io/alt-names',
  'cert-manager.io/issuer-name',
  'cert-manager.io/issuer-kind',
];
export const DEFAULT_EXPIRY_ANNOTATIONS = ['certcheck.amsy.dev/notAfter'];
/** Secrets read per cluster and diagnosis, at most. */
const MAX_SECRETS = 20;

type Named = { metadata?: { name?: string; namespace?: string } };

/** The Secrets the entity's Ingresses serve TLS from and its pods mount. */
export function referencedSecrets(context: {
  ingresses: Array<Named & { spec?: { tls?: Array<{ secretName?: string }> } }>;
  pods: Array<Named & { spec?: { volumes?: any[] } }>;
}): Array<{ namespace: string; name: string }> {
  const refs = new Map<string, { namespace: string; name: string }>();
  const add = (namespace?: string, name?: string) => {
    if (namespace && name)
      refs.set(`${namespace}/${name}`, { namespace, name });
  };
  for (const ingress of context.ingresses) {
    for (const tls of ingress.spec?.tls ?? []) {
      add(ingress.metadata?.namespace, tls.secretName);
    }
  }
  for (const pod of context.pods) {
    for (const volume of pod.spec?.volumes ?? []) {
      add(pod.metadata?.namespace, volume.secret?.secretName);
      for (const source of volume.projected?.sources ?? []) {
        add(pod.metadata?.namespace, source.secret?.name);
      }
    }
  }
  return [...refs.values()].slice(0, MAX_SECRETS);
}

const isNotFound = (e: unknown) =>
  (e as { name?: string })?.name === 'NotFoundError';

/**
 * Reads the metadata — never the data — of the Secrets the entity uses,
 * and keeps only cert-manager's names and the expiry annotations.
 */
export function createTlsSecretsProvider(options: {
  expiryAnnotations: string[];
}): KubecopilotContextProvider {
  const keep = [...NAME_ANNOTATIONS, ...options.expiryAnnotations];
  return {
    name: TLS_SECRETS_PROVIDER,
    async provide({ context, kubernetes }) {
      const items = await Promise.all(
        referencedSecrets(context).map(async ref => {
          let secret: { metadata?: { annotations?: Record<string, string> } };
          try {
            secret = await kubernetes.readMetadata(
              `/api/v1/namespaces/${encodeURIComponent(
                ref.namespace,
              )}/secrets/${encodeURIComponent(ref.name)}`,
            );
          } catch (e) {
            // A missing Secret is the built-in MissingSecret finding's.
            if (isNotFound(e)) return undefined;
            throw e;
          }
          const annotations = secret.metadata?.annotations ?? {};
          const facts = Object.fromEntries(
            keep.filter(k => k in annotations).map(k => [k, annotations[k]]),
          );
          if (!options.expiryAnnotations.some(k => k in facts)) {
            return undefined;
          }
          const item: KubecopilotProvidedItem = {
            resource: { kind: 'Secret', ...ref },
            title: `Secret ${ref.namespace}/${ref.name}`,
            facts,
          };
          return item;
        }),
      );
      return items.filter((i): i is KubecopilotProvidedItem => !!i);
    },
  };
}

/**
 * A time as the annotations write it: ISO 8601, or Go's `time.Time`
 * format (`2030-03-30 04:42:09 +0000 UTC`) that cert-check-controller uses.
 */
export function parseExpiry(value: string): Date | undefined {
  const go =
    /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})\b/.exec(
      value.trim(),
    );
  const text = go ? `${go[1]}T${go[2]}${go[3]}:${go[4]}` : value.trim();
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Finds TLS certificates that expired or expire within `warnDays`, from the
 * names and dates the provider read. Reports `example/CertificateExpired`
 * (error) and `example/CertificateExpiring` (warning).
 */
export function createCertificateAnalyzer(options: {
  warnDays: number;
  expiryAnnotations: string[];
  now?: () => Date;
}): KubecopilotAnalyzer {
  const now = options.now ?? (() => new Date());
  return {
    name: 'example/certificates',
    kinds: ['Secret'],
    analyze(ctx) {
      const items =
        ctx.provided.find(p => p.provider === TLS_SECRETS_PROVIDER)?.items ??
        [];
      const findings: Finding[] = [];
      for (const item of items) {
        if (item.resource?.kind !== 'Secret') continue;
        const key = options.expiryAnnotations.find(k => item.facts[k]);
        const notAfter = key ? parseExpiry(item.facts[key]) : undefined;
        if (!key || !notAfter) continue;
        const days = Math.floor(
          (notAfter.getTime() - now().getTime()) / DAY_MS,
        );
        if (days >= options.warnDays) continue;
        const expired = notAfter.getTime() <= now().getTime();
        const certificate = item.facts['cert-manager.io/certificate-name'];
        const commonName = item.facts['cert-manager.io/common-name'];
        const what = `The TLS certificate in Secret ${item.resource.name}${
          commonName ? ` (${commonName})` : ''
        }`;
        const date = notAfter.toISOString().slice(0, 10);
        findings.push({
          analyzer: 'example/certificates',
          code: expired
            ? 'example/CertificateExpired'
            : 'example/CertificateExpiring',
          severity: expired ? 'error' : 'warning',
          cluster: ctx.cluster,
          resource: item.resource,
          message: expired
            ? `${what} expired on ${date}: clients reject the connection`
            : `${what} expires on ${date}, in ${days} day${
                days === 1 ? '' : 's'
              }`,
          evidence: [
            {
              type: 'field',
              path: `metadata.annotations['${key}']`,
              value: item.facts[key],
            },
            ...(certificate
              ? [
                  {
                    type: 'field' as const,
                    path: "metadata.annotations['cert-manager.io/certificate-name']",
                    value: certificate,
                  },
                ]
              : []),
          ],
          proposedFix: {
            description: certificate
              ? `Renew the cert-manager Certificate ${certificate} (cmctl renew ${certificate} -n ${item.resource.namespace}) and check its issuer can issue`
              : `Replace the certificate in Secret ${item.resource.name} before ${date}`,
            note: 'KubeCopilot has no action that renews certificates; this is for a person to do.',
          },
        });
      }
      return findings;
    },
  };
}
