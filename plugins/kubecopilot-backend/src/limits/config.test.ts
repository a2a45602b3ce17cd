import { ConfigReader } from '@backstage/config';
import { DEFAULT_LIMITS, readLimitsConfig } from './config';

const read = (limits: Record<string, any>) =>
  readLimitsConfig(new ConfigReader({ kubecopilot: { limits } }));

describe('readLimitsConfig', () => {
  it('applies the defaults', () => {
    expect(readLimitsConfig(new ConfigReader({}))).toEqual({
      maxBodyBytes: 65536,
      llmTokensPerUserPerDay: 0,
      rateLimit: {
        enabled: true,
        diagnoses: { limit: 30, windowSeconds: 60 },
        plans: { limit: 30, windowSeconds: 60 },
        query: { limit: 60, windowSeconds: 60 },
      },
    });
    expect(read({})).toEqual(DEFAULT_LIMITS);
  });

  it('reads every key, defaulting the ones left out', () => {
    expect(
      read({
        maxBodyBytes: 1024,
        llmTokensPerUserPerDay: 200000,
        rateLimit: {
          enabled: false,
          diagnoses: { limit: 5 },
          query: { limit: 10, windowSeconds: 3600 },
        },
      }),
    ).toEqual({
      maxBodyBytes: 1024,
      llmTokensPerUserPerDay: 200000,
      rateLimit: {
        enabled: false,
        diagnoses: { limit: 5, windowSeconds: 60 },
        plans: { limit: 30, windowSeconds: 60 },
        query: { limit: 10, windowSeconds: 3600 },
      },
    });
  });

  it.each([
    [
      { maxBodyBytes: 0 },
      'kubecopilot.limits.maxBodyBytes must be a whole number between 1 and 10485760; got 0',
    ],
    [
      { llmTokensPerUserPerDay: -1 },
      'kubecopilot.limits.llmTokensPerUserPerDay must be a whole number between 0 and 9007199254740991; got -1',
    ],
    [
      { llmTokensPerUserPerDay: 1.5 },
      'kubecopilot.limits.llmTokensPerUserPerDay must be a whole number between 0 and 9007199254740991; got 1.5',
    ],
    [
      { rateLimit: { plans: { limit: 0 } } },
      'kubecopilot.limits.rateLimit.plans.limit must be a whole number between 1 and 1000000; got 0',
    ],
    [
      { rateLimit: { query: { windowSeconds: 86401 } } },
      'kubecopilot.limits.rateLimit.query.windowSeconds must be a whole number between 1 and 86400; got 86401',
    ],
  ])('refuses %j', (limits, message) => {
    expect(() => read(limits)).toThrow(message);
  });

  it('refuses values of the wrong type, naming the key', () => {
    expect(() => read({ rateLimit: { enabled: 'sometimes' } })).toThrow(
      /kubecopilot\.limits\.rateLimit\.enabled/,
    );
    expect(() => read({ maxBodyBytes: '64kb' })).toThrow(
      /kubecopilot\.limits\.maxBodyBytes/,
    );
  });
});
