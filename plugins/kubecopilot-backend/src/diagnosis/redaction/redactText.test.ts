import { redactLogLine, redactLogLines, redactText } from './redactText';

describe('redactText', () => {
  it.each<[string, string, number]>([
    [
      'Authorization: Bearer abc.def-ghi_12345678',
      'Authorization: Bearer [REDACTED]',
      1,
    ],
    [
      'curl -H "Authorization: Basic dXNlcjpwYXNzd29yZA=="',
      'curl -H "Authorization: Basic [REDACTED]"',
      1,
    ],
    [
      'calling billing with bearer 9f8e7d6c5b4a3f2e1d0c',
      'calling billing with bearer [REDACTED]',
      1,
    ],
    [
      'token accepted: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'token accepted: [REDACTED JWT]',
      1,
    ],
    [
      'using AKIAIOSFODNN7EXAMPLE in eu-west-1',
      'using [REDACTED AWS KEY] in eu-west-1',
      1,
    ],
    [
      'session ASIAY34FZKBOKMUTVV7A expires soon',
      'session [REDACTED AWS KEY] expires soon',
      1,
    ],
    [
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws_secret_access_key=[REDACTED]',
      1,
    ],
    [
      'AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
      'AWS_SECRET_ACCESS_KEY: "[REDACTED]"',
      1,
    ],
    [
      'connecting to postgres://app:s3cr3t-pw@db.shop.svc:5432/orders',
      'connecting to postgres://app:[REDACTED]@db.shop.svc:5432/orders',
      1,
    ],
    ['password=hunter2 user=bob', 'password=[REDACTED] user=bob', 1],
    ['db_passwd: hunter2', 'db_passwd: [REDACTED]', 1],
    [
      'exec app --client-secret=abc123XYZ --port=8080',
      'exec app --client-secret=[REDACTED] --port=8080',
      1,
    ],
    [
      'GET /callback?code=1&token=abcdef123456&state=x',
      'GET /callback?code=1&token=[REDACTED]&state=x',
      1,
    ],
    [
      '{"user":"bob","password":"hunter2","api_key":12345}',
      '{"user":"bob","password":"[REDACTED]","api_key":[REDACTED]}',
      2,
    ],
    ["{'secret': 'abc'}", "{'secret': '[REDACTED]'}", 1],
    [
      'level=info msg="login" x-api-key: k3y-v4lue-77',
      'level=info msg="login" x-api-key: [REDACTED]',
      1,
    ],
    ['secret: s3cr3tV4lue', 'secret: [REDACTED]', 1],
    [
      'github token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
      'github token [REDACTED TOKEN]',
      1,
    ],
    [
      'key="-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----" loaded',
      'key="[REDACTED PRIVATE KEY]" loaded',
      1,
    ],
    [
      'tls:\n  key: |\n    -----BEGIN EC PRIVATE KEY-----\n    MHcCAQEEIB\n    -----END EC PRIVATE KEY-----\n  ok: true',
      'tls:\n  key: |\n    [REDACTED PRIVATE KEY]\n  ok: true',
      1,
    ],
  ])('%s', (input, expected, count) => {
    expect(redactText(input)).toEqual({ value: expected, redactions: count });
    expect(redactLogLine(input)).toEqual({
      value: expected,
      redactions: count,
    });
  });

  it.each([
    '2025-01-14T09:11:02Z INFO Started CheckoutApplication in 9.214 seconds',
    'failed to refresh token: 401 Unauthorized',
    'secret: not found',
    'Secret "ledger-tls" not found',
    'MountVolume.SetUp failed for volume "tls" : secret "ledger-tls" not found',
    'max_tokens=1024 token_count=87 secretName=tls',
    'password reset email sent to user 42',
    'Missing Bearer token in request',
    'GET /healthz 200 1.2ms',
    'connecting to https://api.example.com:443/v1/orders?page=2',
    'user=bob action=login result=ok',
    'spec.containers[app].env[DB_PASSWORD].valueFrom.secretKeyRef.name = checkout-db',
    '-----BEGIN CERTIFICATE----- is public, only private keys are secret',
    'Caused by: java.net.ConnectException: Connection refused',
  ])('leaves an ordinary line untouched: %s', line => {
    expect(redactText(line)).toEqual({ value: line, redactions: 0 });
  });
});

describe('redactLogLines', () => {
  it('replaces a private key printed across lines by one line', () => {
    expect(
      redactLogLines([
        'loading signing key',
        '-----BEGIN PRIVATE KEY-----',
        'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
        'Q0FOQVJZUEVNQk9EWUxJTkUwMTIzNDU2',
        '-----END PRIVATE KEY-----',
        'server started on :8443',
      ]),
    ).toEqual({
      value: [
        'loading signing key',
        '[REDACTED PRIVATE KEY]',
        'server started on :8443',
      ],
      redactions: 1,
    });
  });

  it('drops the key lines before an END whose BEGIN was cut off by tailLines', () => {
    expect(
      redactLogLines([
        '2025-01-14T09:00:01.000Z MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
        '2025-01-14T09:00:01.000Z Q0FOQVJZT1JQSEFOMDEyMzQ1Njc4OQ==',
        '2025-01-14T09:00:01.000Z -----END RSA PRIVATE KEY-----',
        '2025-01-14T09:00:02.000Z ready',
      ]),
    ).toEqual({
      value: ['[REDACTED PRIVATE KEY]', '2025-01-14T09:00:02.000Z ready'],
      redactions: 1,
    });
  });

  it('redacts to the end of the log when the END never comes (limitBytes)', () => {
    expect(
      redactLogLines([
        'boot',
        '2025-01-14T09:00:01Z -----BEGIN OPENSSH PRIVATE KEY-----',
        'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
        'AAAAC3NzaC1lZDI1NTE5AAAAIOv',
      ]),
    ).toEqual({
      value: ['boot', '2025-01-14T09:00:01Z [REDACTED PRIVATE KEY]'],
      redactions: 1,
    });
  });

  it('counts every redaction across lines and leaves ordinary lines as they are', () => {
    const ordinary = 'level=info msg="served" path=/orders status=200';
    expect(
      redactLogLines([
        ordinary,
        'password=a1 token=b2b2b2b2b2 api_key=c3',
        ordinary,
      ]),
    ).toEqual({
      value: [
        ordinary,
        'password=[REDACTED] token=[REDACTED] api_key=[REDACTED]',
        ordinary,
      ],
      redactions: 3,
    });
  });
});

describe('key material seen one line at a time', () => {
  it('masks a line that is only a long base64 run, keeping its timestamp', () => {
    expect(
      redactLogLine(
        '2025-01-14T09:00:01Z MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
      ),
    ).toEqual({
      value: '2025-01-14T09:00:01Z [REDACTED BASE64]',
      redactions: 1,
    });
    // Hex digests and short ids are not base64 key material.
    const digest =
      'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    expect(redactLogLine(digest)).toEqual({ value: digest, redactions: 0 });
  });

  it('counts an orphaned key block once even when its lines were masked as base64', () => {
    expect(
      redactLogLines([
        'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
        'Q0FOQVJZLXBlbS1ib2R5LWxpbmUtMDEyMzQ1Njc4',
        '-----END PRIVATE KEY-----',
      ]),
    ).toEqual({ value: ['[REDACTED PRIVATE KEY]'], redactions: 1 });
  });
});
