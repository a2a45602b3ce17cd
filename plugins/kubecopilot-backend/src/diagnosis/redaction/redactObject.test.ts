import type { V1Pod } from '@kubernetes/client-node';
import { createAnalysisContext } from '../../analyzers';
import { loadContext } from '../../analyzers/__fixtures__';
import { redactObject, redactPod } from './redactObject';
import { redactAnalysisContext } from './redactAnalysisContext';
import { redactLogLine, redactLogLines, redactText } from './redactText';

/** Every value that must never leave the backend, in any output. */
const CANARIES = {
  secretData: 'CANARY-secret-data-0',
  secretStringData: 'CANARY-secret-stringdata-1',
  literalPassword: 'CANARY-literal-db-password-2',
  literalToken: 'CANARY-literal-api-token-3',
  urlPassword: 'CANARYurlpw4',
  argPassword: 'CANARY-arg-password-5',
  lastApplied: 'CANARY-last-applied-6',
  eventPassword: 'CANARY-event-password-7',
  bearer: 'CANARYbearer0123456789abcdef',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJDQU5BUlkifQ.Q0FOQVJZLWp3dC1zaWduYXR1cmU',
  pem: 'Q0FOQVJZLXBlbS1ib2R5LWxpbmUtMDEyMzQ1Njc4',
  awsKeyId: 'AKIACANARYKEY0000001',
  awsSecret: 'CANARYawsSecretKey/abcdefghijklmn',
  logPassword: 'CANARY-log-password-8',
  jsonPassword: 'CANARY-json-password-9',
  apiKey: 'CANARY-api-key-10',
  cmPassword: 'CANARY-configmap-password-11',
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

function expectNoCanary(output: unknown) {
  const text = JSON.stringify(output);
  for (const [name, canary] of Object.entries(CANARIES)) {
    expect({
      name,
      leaked: text.includes(canary) || text.includes(b64(canary)),
    }).toEqual({
      name,
      leaked: false,
    });
  }
}

function canaryPod(): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'checkout-7d9f8b6c5d-x7k2p',
      namespace: 'shop',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          spec: {
            containers: [
              { env: [{ name: 'DB_PASSWORD', value: CANARIES.lastApplied }] },
            ],
          },
        }),
        'prometheus.io/scrape': 'true',
      },
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          fieldsType: 'FieldsV1',
        },
      ],
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'ghcr.io/acme/checkout:1.8.2',
          args: [`--db-password=${CANARIES.argPassword}`, '--port=8080'],
          env: [
            { name: 'DB_PASSWORD', value: CANARIES.literalPassword },
            { name: 'api_token', value: CANARIES.literalToken },
            { name: 'DB_USER', value: 'checkout' },
            { name: 'EMPTY_SECRET', value: '' },
            {
              name: 'STRIPE_KEY',
              valueFrom: {
                secretKeyRef: { name: 'stripe', key: 'key', optional: false },
              },
            },
            {
              name: 'DB_HOST',
              valueFrom: {
                configMapKeyRef: { name: 'checkout-config', key: 'db.host' },
              },
            },
            {
              name: 'DATABASE_URL',
              value: `postgres://checkout:${CANARIES.urlPassword}@db.shop.svc:5432/checkout`,
            },
            {
              name: 'POD_IP',
              valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
            },
          ],
          envFrom: [
            { secretRef: { name: 'checkout-secrets', optional: true } },
            { configMapRef: { name: 'checkout-config' }, prefix: 'CFG_' },
          ],
        },
      ],
    },
    status: { phase: 'Running', startTime: new Date('2025-01-14T09:00:00Z') },
  };
}

describe('redactPod', () => {
  it('keeps secret references, masks secret-named literals, scrubs other values, drops last-applied', () => {
    const input = canaryPod();
    const before = JSON.stringify(input);
    const { value, redactions } = redactPod(input);
    expect(value).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'checkout-7d9f8b6c5d-x7k2p',
        namespace: 'shop',
        annotations: { 'prometheus.io/scrape': 'true' },
      },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'ghcr.io/acme/checkout:1.8.2',
            args: ['--db-password=[REDACTED]', '--port=8080'],
            env: [
              { name: 'DB_PASSWORD', value: '[REDACTED]' },
              { name: 'api_token', value: '[REDACTED]' },
              { name: 'DB_USER', value: 'checkout' },
              { name: 'EMPTY_SECRET', value: '' },
              {
                name: 'STRIPE_KEY',
                valueFrom: { secretKeyRef: { name: 'stripe', key: 'key' } },
              },
              {
                name: 'DB_HOST',
                valueFrom: {
                  configMapKeyRef: { name: 'checkout-config', key: 'db.host' },
                },
              },
              {
                name: 'DATABASE_URL',
                value:
                  'postgres://checkout:[REDACTED]@db.shop.svc:5432/checkout',
              },
              {
                name: 'POD_IP',
                valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
              },
            ],
            envFrom: [
              { secretRef: { name: 'checkout-secrets' } },
              { configMapRef: { name: 'checkout-config' }, prefix: 'CFG_' },
            ],
          },
        ],
      },
      // Dates from the typed client survive as Dates.
      status: { phase: 'Running', startTime: new Date('2025-01-14T09:00:00Z') },
    });
    // last-applied, --db-password, DB_PASSWORD, api_token, DATABASE_URL.
    expect(redactions).toBe(5);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('redactObject', () => {
  it('reduces a Secret to its metadata, with or without kind', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'checkout-db',
        namespace: 'shop',
        labels: { app: 'checkout' },
      },
      type: 'Opaque',
      data: { password: b64(CANARIES.secretData) },
      stringData: { url: CANARIES.secretStringData },
    };
    const expected = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'checkout-db',
        namespace: 'shop',
        labels: { app: 'checkout' },
      },
      type: 'Opaque',
    };
    expect(redactObject(secret)).toEqual({ value: expected, redactions: 1 });
    // Items of a typed list arrive without kind/apiVersion.
    const { apiVersion, kind, ...bare } = secret;
    expect(redactObject({ items: [bare] })).toEqual({
      value: { items: [{ metadata: expected.metadata, type: 'Opaque' }] },
      redactions: 1,
    });
  });

  it('keeps a ConfigMap but scrubs secrets inside its values', () => {
    const cm = {
      kind: 'ConfigMap',
      metadata: { name: 'checkout-config' },
      data: {
        'application.yaml': `spring:\n  datasource:\n    password: ${CANARIES.cmPassword}\n    url: jdbc:postgresql://db:5432/x\n`,
      },
    };
    expect(redactObject(cm)).toEqual({
      value: {
        kind: 'ConfigMap',
        metadata: { name: 'checkout-config' },
        data: {
          'application.yaml':
            'spring:\n  datasource:\n    password: [REDACTED]\n    url: jdbc:postgresql://db:5432/x\n',
        },
      },
      redactions: 1,
    });
  });

  it('leaves an ordinary object as it was, with no redactions', () => {
    const deployment = loadContext('deployment-progress-deadline')
      .deployments[0];
    expect(redactObject(deployment)).toEqual({
      value: deployment,
      redactions: 0,
    });
  });
});

describe('secret canaries', () => {
  const logLines = [
    '2025-01-14T09:00:00Z INFO starting checkout',
    `2025-01-14T09:00:01Z DEBUG calling payments with Authorization: Bearer ${CANARIES.bearer}`,
    `2025-01-14T09:00:01Z DEBUG id_token=${CANARIES.jwt}`,
    '2025-01-14T09:00:02Z INFO loading key',
    '-----BEGIN RSA PRIVATE KEY-----',
    'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
    CANARIES.pem,
    '-----END RSA PRIVATE KEY-----',
    `2025-01-14T09:00:03Z WARN s3 client: access key ${CANARIES.awsKeyId} aws_secret_access_key=${CANARIES.awsSecret}`,
    `2025-01-14T09:00:04Z ERROR db connect failed: password=${CANARIES.logPassword}`,
    `{"level":"error","msg":"login","password": "${CANARIES.jsonPassword}","api_key":"${CANARIES.apiKey}"}`,
    '2025-01-14T09:00:05Z ERROR Application run failed',
  ];

  it('none survives any redaction function', () => {
    const ctx = createAnalysisContext('prod-eu', {
      pods: [canaryPod()],
      events: [
        {
          metadata: { name: 'checkout.1', namespace: 'shop' },
          involvedObject: {
            kind: 'Pod',
            name: 'checkout-7d9f8b6c5d-x7k2p',
            namespace: 'shop',
          },
          reason: 'Failed',
          message: `Error: container exited: password=${CANARIES.eventPassword}`,
        },
      ],
      logs: [
        {
          namespace: 'shop',
          pod: 'checkout-7d9f8b6c5d-x7k2p',
          container: 'app',
          previous: true,
          lines: logLines,
        },
      ],
    });
    const secretList = {
      kind: 'List',
      items: [
        {
          kind: 'Secret',
          metadata: { name: 'checkout-db' },
          type: 'Opaque',
          data: { password: b64(CANARIES.secretData) },
          stringData: { url: CANARIES.secretStringData },
        },
        {
          kind: 'ConfigMap',
          metadata: { name: 'c' },
          data: { 'app.properties': `db.password=${CANARIES.cmPassword}` },
        },
      ],
    };

    const fromContext = redactAnalysisContext(ctx);
    const outputs = [
      fromContext,
      redactObject(secretList),
      redactPod(canaryPod()),
      redactLogLines(logLines),
      logLines.map(l => redactLogLine(l)),
      redactText(logLines.join('\n')),
    ];
    for (const output of outputs) expectNoCanary(output);
    // The inputs really carried the canaries: the check above is not vacuous.
    expect(() => expectNoCanary([ctx, secretList, logLines])).toThrow();
    // pod: 5 (see redactPod), event: 1, log: bearer, JWT, PEM, AWS id, AWS secret, password, JSON password, api_key.
    expect(fromContext.redactions).toBe(5 + 1 + 8);
  });

  it('keeps the ordinary log lines byte for byte', () => {
    const { value } = redactLogLines(logLines);
    expect(value).toEqual([
      '2025-01-14T09:00:00Z INFO starting checkout',
      '2025-01-14T09:00:01Z DEBUG calling payments with Authorization: Bearer [REDACTED]',
      '2025-01-14T09:00:01Z DEBUG id_token=[REDACTED JWT]',
      '2025-01-14T09:00:02Z INFO loading key',
      '[REDACTED PRIVATE KEY]',
      '2025-01-14T09:00:03Z WARN s3 client: access key [REDACTED AWS KEY] aws_secret_access_key=[REDACTED]',
      '2025-01-14T09:00:04Z ERROR db connect failed: password=[REDACTED]',
      '{"level":"error","msg":"login","password": "[REDACTED]","api_key":"[REDACTED]"}',
      '2025-01-14T09:00:05Z ERROR Application run failed',
    ]);
  });
});
