import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import {
  createCertificateAnalyzer,
  createTlsSecretsProvider,
  parseExpiry,
  referencedSecrets,
  TLS_SECRETS_PROVIDER,
} from './certificates';

const NOW = new Date('2026-12-06T12:00:00Z');
const EXPIRY = 'certcheck.amsy.dev/notAfter';

/** A Secret as the API server answers `as=PartialObjectMetadata`. */
const secretMetadata = (name: string, annotations: Record<string, string>) => ({
  kind: 'PartialObjectMetadata',
  apiVersion: 'meta.k8s.io/v1',
  metadata: {
    name,
    namespace: 'shop',
    uid: `uid-${name}`,
    resourceVersion: '812',
    creationTimestamp: '2026-09-08T10:00:00Z',
    annotations,
  },
});

const context = {
  cluster: 'demo',
  ingresses: [
    {
      metadata: { name: 'storefront', namespace: 'shop' },
      spec: {
        tls: [{ hosts: ['shop.example.com'], secretName: 'storefront-tls' }],
      },
    },
  ],
  pods: [
    {
      metadata: { name: 'storefront-7d9c-abcde', namespace: 'shop' },
      spec: {
        volumes: [
          { name: 'tls', secret: { secretName: 'storefront-tls' } },
          {
            name: 'client',
            projected: {
              sources: [{ secret: { name: 'payments-client-tls' } }],
            },
          },
          { name: 'config', configMap: { name: 'storefront' } },
        ],
      },
    },
  ],
} as any;

describe('referencedSecrets', () => {
  it('names each Secret an Ingress serves TLS from or a pod mounts, once', () => {
    expect(referencedSecrets(context)).toEqual([
      { namespace: 'shop', name: 'storefront-tls' },
      { namespace: 'shop', name: 'payments-client-tls' },
    ]);
  });
});

describe('the TLS Secrets provider', () => {
  it('reads metadata only and keeps the certificate names and the expiry', async () => {
    const paths: string[] = [];
    const provider = createTlsSecretsProvider({ expiryAnnotations: [EXPIRY] });
    const items = await provider.provide({
      entityRef: 'component:default/storefront',
      cluster: 'demo',
      context,
      signal: new AbortController().signal,
      kubernetes: {
        readMetadata: async (path: string) => {
          paths.push(path);
          if (path.endsWith('/payments-client-tls')) {
            throw Object.assign(new Error('not found'), {
              name: 'NotFoundError',
            });
          }
          return secretMetadata('storefront-tls', {
            'cert-manager.io/certificate-name': 'storefront',
            'cert-manager.io/common-name': 'shop.example.com',
            [EXPIRY]: '2026-12-09 12:00:00 +0000 UTC',
            'kubectl.kubernetes.io/last-applied-configuration':
              '{"data":{"tls.key":"…"}}',
          }) as any;
        },
      },
    });
    expect(paths).toEqual([
      '/api/v1/namespaces/shop/secrets/storefront-tls',
      '/api/v1/namespaces/shop/secrets/payments-client-tls',
    ]);
    expect(items).toEqual([
      {
        resource: { kind: 'Secret', namespace: 'shop', name: 'storefront-tls' },
        title: 'Secret shop/storefront-tls',
        facts: {
          'cert-manager.io/certificate-name': 'storefront',
          'cert-manager.io/common-name': 'shop.example.com',
          [EXPIRY]: '2026-12-09 12:00:00 +0000 UTC',
        },
      },
    ]);
  });

  it('fails as a whole when a read fails for another reason than a missing Secret', async () => {
    const provider = createTlsSecretsProvider({ expiryAnnotations: [EXPIRY] });
    await expect(
      provider.provide({
        entityRef: 'component:default/storefront',
        cluster: 'demo',
        context,
        signal: new AbortController().signal,
        kubernetes: {
          readMetadata: async () => {
            throw Object.assign(new Error('forbidden'), {
              name: 'NotAllowedError',
            });
          },
        },
      }),
    ).rejects.toThrow('forbidden');
  });
});

describe('parseExpiry', () => {
  it.each([
    ['2026-12-09T12:00:00Z', '2026-12-09T12:00:00.000Z'],
    ['2030-03-30 04:42:09 +0000 UTC', '2030-03-30T04:42:09.000Z'],
    ['2030-03-30 06:42:09 +0200 CEST', '2030-03-30T04:42:09.000Z'],
  ])('%s', (text, iso) => {
    expect(parseExpiry(text)?.toISOString()).toBe(iso);
  });

  it('is undefined for what is no time', () => {
    expect(parseExpiry('next tuesday')).toBeUndefined();
  });
});

describe('the certificate analyzer', () => {
  const analyzer = createCertificateAnalyzer({
    warnDays: 14,
    expiryAnnotations: [EXPIRY],
    now: () => NOW,
  });
  const item = (name: string, notAfter: string, certificate?: string) => ({
    resource: { kind: 'Secret', namespace: 'shop', name },
    title: `Secret shop/${name}`,
    facts: {
      [EXPIRY]: notAfter,
      ...(certificate
        ? { 'cert-manager.io/certificate-name': certificate }
        : {}),
    },
  });
  const analyze = (items: any[]) =>
    analyzer.analyze({
      cluster: 'demo',
      provided: [{ provider: TLS_SECRETS_PROVIDER, items }],
    } as any) as Finding[];

  it('reports a certificate expiring within the warning window', () => {
    expect(
      analyze([
        item('storefront-tls', '2026-12-09 12:00:00 +0000 UTC', 'storefront'),
      ]),
    ).toEqual([
      {
        analyzer: 'example/certificates',
        code: 'example/CertificateExpiring',
        severity: 'warning',
        cluster: 'demo',
        resource: { kind: 'Secret', namespace: 'shop', name: 'storefront-tls' },
        message:
          'The TLS certificate in Secret storefront-tls expires on 2026-12-09, in 3 days',
        evidence: [
          {
            type: 'field',
            path: `metadata.annotations['${EXPIRY}']`,
            value: '2026-12-09 12:00:00 +0000 UTC',
          },
          {
            type: 'field',
            path: "metadata.annotations['cert-manager.io/certificate-name']",
            value: 'storefront',
          },
        ],
        proposedFix: {
          description:
            'Renew the cert-manager Certificate storefront (cmctl renew storefront -n shop) and check its issuer can issue',
          note: 'KubeCopilot has no action that renews certificates; this is for a person to do.',
        },
      },
    ]);
  });

  it('reports an expired certificate as an error and ignores distant or unreadable dates', () => {
    const findings = analyze([
      item('old-tls', '2026-12-01T00:00:00Z'),
      item('fine-tls', '2027-06-01T00:00:00Z'),
      item('odd-tls', 'soon'),
    ]);
    expect(findings.map(f => [f.resource.name, f.code, f.severity])).toEqual([
      ['old-tls', 'example/CertificateExpired', 'error'],
    ]);
    expect(findings[0].message).toBe(
      'The TLS certificate in Secret old-tls expired on 2026-12-01: clients reject the connection',
    );
  });

  it('finds nothing without its provider', () => {
    expect(analyzer.analyze({ cluster: 'demo', provided: [] } as any)).toEqual(
      [],
    );
  });
});
