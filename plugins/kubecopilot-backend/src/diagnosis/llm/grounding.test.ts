import { checkGrounding, KnownObject } from './grounding';
import { LlmDiagnosis } from './schema';

const known: KnownObject[] = [
  { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
  { kind: 'ReplicaSet', namespace: 'shop', name: 'checkout-7d9f8b6c5' },
  {
    kind: 'Pod',
    namespace: 'shop',
    name: 'checkout-7d9f8b6c5-x2x4p',
    containers: ['app'],
  },
];

const base: LlmDiagnosis = {
  summary: 'checkout-7d9f8b6c5-x2x4p crash-loops',
  rootCause: 'The app container exits with code 1 because DATABASE_URL is unset.',
  confirmedFindings: ['F1'],
  additionalFindings: [],
  recommendations: [
    {
      title: 'Restart checkout after fixing the config',
      action: 'restart',
      target: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
    },
  ],
};

describe('checkGrounding', () => {
  it('accepts an answer that only names what it was given', () => {
    expect(checkGrounding(base, known, ['F1'])).toEqual([]);
  });

  it.each<[string, Partial<LlmDiagnosis>, string]>([
    [
      'an unknown recommendation target',
      {
        recommendations: [
          {
            title: 'Delete the namespace',
            action: 'delete',
            target: { kind: 'Namespace', name: 'shop' },
          },
        ],
      },
      'recommendation 1 names Namespace shop, which it was not given',
    ],
    [
      'an unknown container',
      {
        additionalFindings: [
          {
            code: 'OOMKilled',
            severity: 'error',
            resource: {
              kind: 'Pod',
              namespace: 'shop',
              name: 'checkout-7d9f8b6c5-x2x4p',
            },
            container: 'sidecar',
            message: 'sidecar was killed',
            evidence: [],
          },
        ],
      },
      'finding 1 names container sidecar of Pod checkout-7d9f8b6c5-x2x4p, which it was not given',
    ],
    [
      'an invented pod in free text',
      { summary: 'payments-5c8d9f7b6d-x7q2k is also failing' },
      'mentions payments-5c8d9f7b6d-x7q2k, an object it was not given',
    ],
    [
      'a finding id that does not exist',
      { confirmedFindings: ['F9'] },
      'confirms finding F9, which does not exist',
    ],
    [
      'an action without a target',
      { recommendations: [{ title: 'Scale up', action: 'scale' }] },
      'recommendation 1 has an action but no target',
    ],
  ])('rejects %s', (_name, patch, problem) => {
    expect(checkGrounding({ ...base, ...patch }, known, ['F1'])).toEqual([
      problem,
    ]);
  });
});
