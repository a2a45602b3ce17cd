import type { Finding } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import path from 'node:path';
import { loadCorpus, EvalScenario } from './corpus';
import {
  scoreCodes,
  scoreDiagnosis,
  scoreModelRun,
  scoreModelScenario,
  summarize,
  summarizeModel,
} from './score';

const scenario = (over: Partial<EvalScenario> = {}): EvalScenario => ({
  id: 'crash',
  file: 'crash.yaml',
  title: '',
  source: 'https://example.com',
  ported: true,
  healthy: false,
  expect: ['CrashLoopBackOff'],
  tolerate: ['DeploymentUnavailable'],
  entity: { namespace: 'crash', labelSelector: 'app=crash' },
  ...over,
});

const finding = (
  code: string,
  severity: Finding['severity'] = 'error',
  over: Partial<Finding> = {},
): Finding => ({
  analyzer: 'test',
  code,
  severity,
  cluster: 'eval',
  resource: { kind: 'Pod', namespace: 'crash', name: 'crash-5d8f7-abcde' },
  container: 'app',
  message: code,
  evidence: [],
  ...over,
});

describe('scoreDiagnosis', () => {
  it('passes a failing scenario whose expected code is found, with tolerated and caused symptoms beside it', () => {
    const r = scoreDiagnosis(scenario(), {
      findings: [
        finding('CrashLoopBackOff', 'error', { id: 'f1' }),
        finding('DeploymentUnavailable'),
        finding('ServiceNoEndpoints', 'warning', { causedBy: 'f1' }),
        finding('ContainerRecovered', 'info'),
      ],
      errors: [],
    });
    expect(r).toMatchObject({
      pass: true,
      found: [
        'CrashLoopBackOff',
        'DeploymentUnavailable',
        'ServiceNoEndpoints',
      ],
      missing: [],
      unexpected: [],
      info: ['ContainerRecovered'],
    });
  });

  it('fails on a missing code, and on an alarming code nobody expected', () => {
    expect(
      scoreDiagnosis(scenario(), {
        findings: [finding('DeploymentUnavailable')],
        errors: [],
      }),
    ).toMatchObject({ pass: false, missing: ['CrashLoopBackOff'] });
    expect(
      scoreDiagnosis(scenario(), {
        findings: [finding('CrashLoopBackOff'), finding('OOMKilled')],
        errors: [],
      }),
    ).toMatchObject({ pass: false, unexpected: ['OOMKilled'] });
  });

  it('an expected code found only at info severity is not found', () => {
    expect(
      scoreDiagnosis(scenario(), {
        findings: [finding('CrashLoopBackOff', 'info')],
        errors: [],
      }),
    ).toMatchObject({
      pass: false,
      missing: ['CrashLoopBackOff'],
      info: ['CrashLoopBackOff'],
    });
  });

  it('a healthy look-alike passes with information only, and fails on any warning', () => {
    const healthy = scenario({ healthy: true, expect: [], tolerate: [] });
    expect(
      scoreDiagnosis(healthy, {
        findings: [finding('RolloutInProgress', 'info')],
        errors: [],
      }).pass,
    ).toBe(true);
    expect(
      scoreDiagnosis(healthy, {
        findings: [finding('HpaAtMaxReplicas', 'warning', { causedBy: 'x' })],
        errors: [],
      }),
    ).toMatchObject({ pass: false, unexpected: ['HpaAtMaxReplicas'] });
  });
});

describe('scoreCodes and summarize', () => {
  it('counts precision and recall per code, and false alarms on healthy scenarios', () => {
    const healthy = scenario({
      id: 'ok',
      healthy: true,
      expect: [],
      tolerate: [],
    });
    const results = [
      scoreDiagnosis(scenario({ id: 'a' }), {
        findings: [finding('CrashLoopBackOff')],
        errors: [],
      }),
      scoreDiagnosis(scenario({ id: 'b' }), {
        findings: [finding('OOMKilled')],
        errors: [],
      }),
      scoreDiagnosis(healthy, {
        findings: [finding('OOMKilled', 'warning')],
        errors: [],
      }),
    ];
    expect(scoreCodes(results)).toEqual([
      {
        code: 'CrashLoopBackOff',
        truePositives: 1,
        falsePositives: 0,
        falseNegatives: 1,
        precision: 1,
        recall: 0.5,
      },
      {
        code: 'OOMKilled',
        truePositives: 0,
        falsePositives: 2,
        falseNegatives: 0,
        precision: 0,
        recall: null,
      },
    ]);
    expect(
      summarize(results, [
        scenario({ id: 'a' }),
        scenario({ id: 'b', ported: false }),
        healthy,
      ]),
    ).toEqual({
      scenarios: 3,
      passed: 1,
      passRate: 0.333,
      falseAlarms: 1,
      healthy: 1,
      ported: 2,
    });
  });
});

describe('model runs', () => {
  const rules = [finding('CrashLoopBackOff', 'error', { id: 'f1' })];
  const base = {
    findings: rules,
    errors: [],
    usage: { promptTokens: 1000, completionTokens: 100 },
  };

  it('passes a grounded answer whose root cause names the failing object', () => {
    const run = scoreModelRun(
      scenario(),
      {
        ...base,
        source: 'llm',
        rootCause: 'Container app of crash-5d8f7-abcde exits 1 at start.',
      },
      rules,
      812.4,
    );
    expect(run).toMatchObject({
      answered: true,
      schemaValid: true,
      groundingViolation: false,
      agrees: true,
      pass: true,
      latencyMs: 812,
    });
  });

  it('tells a schema failure, a grounding violation and a root cause that names something else apart', () => {
    const invalid = scoreModelRun(
      scenario(),
      {
        ...base,
        source: 'rules',
        fallbackReason:
          'the model answer did not match the diagnosis schema (x)',
      },
      rules,
      1,
    );
    expect(invalid).toMatchObject({ schemaValid: false, pass: false });
    const ungrounded = scoreModelRun(
      scenario(),
      {
        ...base,
        source: 'rules',
        fallbackReason:
          "the model's answer was rejected because it is not grounded in the data it was given: x",
      },
      rules,
      1,
    );
    expect(ungrounded).toMatchObject({
      schemaValid: true,
      groundingViolation: true,
      pass: false,
    });
    const elsewhere = scoreModelRun(
      scenario(),
      { ...base, source: 'llm', rootCause: 'The database is slow.' },
      rules,
      1,
    );
    expect(elsewhere).toMatchObject({
      answered: true,
      agrees: false,
      pass: false,
    });
  });

  it('reports pass@k, pass^k, tokens and cost', () => {
    const ok = scoreModelRun(
      scenario(),
      { ...base, source: 'llm', rootCause: 'crash-5d8f7-abcde crashes' },
      rules,
      100,
    );
    const bad = scoreModelRun(
      scenario(),
      { ...base, source: 'llm', rootCause: 'unclear' },
      rules,
      300,
    );
    const r = scoreModelScenario('crash', [ok, bad], {
      promptPer1k: 0.15,
      completionPer1k: 0.6,
    });
    expect(r).toMatchObject({
      passAtK: true,
      passHatK: false,
      promptTokens: 2000,
      completionTokens: 200,
      meanLatencyMs: 200,
      costUsd: 0.42,
    });
    expect(summarizeModel('m', 2, [r])).toMatchObject({
      passAtK: 1,
      passHatK: 0,
      schemaValidRate: 1,
      groundingViolations: 0,
      costUsd: 0.42,
    });
  });
});

describe('the corpus', () => {
  const corpus = loadCorpus(
    path.resolve(__dirname, '../../../../eval/scenarios'),
  );

  it('has at least 40 scenarios, half ported from public sources, 10 healthy look-alikes, each with a source', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(corpus.filter(s => s.ported).length * 2).toBeGreaterThanOrEqual(
      corpus.length,
    );
    expect(corpus.filter(s => s.healthy).length).toBeGreaterThanOrEqual(10);
    expect(corpus.filter(s => !s.source)).toEqual([]);
    expect(
      corpus.filter(s => s.ported && !/^https:\/\//.test(s.source)),
    ).toEqual([]);
  });

  it('names one namespace per scenario', () => {
    const namespaces = corpus.map(s => s.entity.namespace);
    expect(new Set(namespaces).size).toBe(namespaces.length);
  });
});
