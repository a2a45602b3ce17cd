import { ConfigReader } from '@backstage/config';
import { createChangeFreezeRule } from './changeFreeze';
import { readExampleConfig } from './config';

const freezes = readExampleConfig(
  new ConfigReader({
    kubecopilotExample: {
      changeFreezes: [
        {
          name: 'Year-end',
          start: '2026-12-20T00:00:00Z',
          end: '2027-01-04T00:00:00Z',
        },
      ],
    },
  }),
).freezes;

describe('the change-freeze rule', () => {
  const at = (iso: string) =>
    createChangeFreezeRule({ freezes, now: () => new Date(iso) }).evaluate(
      {} as any,
    );

  it('makes a plan drafted inside a freeze window high risk', () => {
    expect(at('2026-12-24T09:00:00Z')).toEqual({
      level: 'high',
      message:
        "change freeze 'Year-end' until 2027-01-04T00:00:00.000Z: only changes that cannot wait",
    });
  });

  it('says nothing outside the windows (the end is exclusive)', () => {
    expect(at('2026-12-19T23:59:59Z')).toBeUndefined();
    expect(at('2027-01-04T00:00:00Z')).toBeUndefined();
  });
});

describe('readExampleConfig', () => {
  it('has defaults', () => {
    expect(readExampleConfig(new ConfigReader({}))).toEqual({
      warnDays: 14,
      expiryAnnotations: ['certcheck.amsy.dev/notAfter'],
      freezes: [],
    });
  });

  it('refuses a window that is no time or ends before it starts', () => {
    expect(() =>
      readExampleConfig(
        new ConfigReader({
          kubecopilotExample: {
            changeFreezes: [
              { name: 'x', start: 'monday', end: '2027-01-01T00:00:00Z' },
            ],
          },
        }),
      ),
    ).toThrow(
      'kubecopilotExample.changeFreezes[0].start must be an ISO 8601 time',
    );
    expect(() =>
      readExampleConfig(
        new ConfigReader({
          kubecopilotExample: {
            changeFreezes: [
              {
                name: 'x',
                start: '2027-01-02T00:00:00Z',
                end: '2027-01-01T00:00:00Z',
              },
            ],
          },
        }),
      ),
    ).toThrow('must be after its start');
  });
});
