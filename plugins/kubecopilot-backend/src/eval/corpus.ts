/**
 * The eval corpus: scenario files of the demo cluster (`eval/scenarios/*.yaml`)
 * whose `Scenario` document carries, under `spec.eval`, what an SRE expects
 * the diagnosis to find. The demo cluster serves the objects exactly as
 * written (it never reconciles seeded objects), so each file is a static
 * snapshot of a cluster's state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

const evalSpecSchema = z.object({
  /** Where the scenario comes from (a URL, or the issue it was written for). */
  source: z.string().min(1),
  /** Ported from a public source (k8sgpt tests, k8s-ai-bench, Kubernetes docs). */
  ported: z.boolean().default(false),
  /** The catalog entity that owns the objects. */
  entity: z.object({
    namespace: z.string().min(1),
    labelSelector: z.string().min(1),
  }),
  /** A healthy look-alike: no warning, error or critical finding is expected. */
  healthy: z.boolean().default(false),
  /** Codes that must be found at warning severity or above. */
  expect: z.array(z.string()).default([]),
  /** Consequences an SRE accepts beside the expected codes. */
  tolerate: z.array(z.string()).default([]),
});

export interface EvalScenario {
  id: string;
  file: string;
  title: string;
  source: string;
  ported: boolean;
  healthy: boolean;
  expect: string[];
  tolerate: string[];
  entity: { namespace: string; labelSelector: string };
}

/** Reads one scenario file's `Scenario` document and its `spec.eval`. */
export function readScenario(file: string): EvalScenario {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d =>
    d.toJS(),
  );
  const scenario = docs.find(
    d => d?.apiVersion === 'kubecopilot.dev/v1alpha1' && d?.kind === 'Scenario',
  );
  if (!scenario) throw new Error(`${file}: no Scenario document`);
  const parsed = evalSpecSchema.safeParse(scenario.spec?.eval);
  if (!parsed.success) {
    throw new Error(`${file}: invalid spec.eval: ${parsed.error.message}`);
  }
  const spec = parsed.data;
  if (spec.healthy && spec.expect.length > 0) {
    throw new Error(`${file}: a healthy scenario expects no finding codes`);
  }
  if (!spec.healthy && spec.expect.length === 0) {
    throw new Error(`${file}: a failing scenario names the codes it expects`);
  }
  return {
    id: String(scenario.metadata?.name ?? path.basename(file, '.yaml')),
    file,
    title: String(scenario.spec?.description ?? ''),
    source: spec.source,
    ported: spec.ported,
    healthy: spec.healthy,
    expect: spec.expect,
    tolerate: spec.tolerate,
    entity: spec.entity,
  };
}

/** Every `*.yaml` of the directory, sorted; `only` keeps the named ids. */
export function loadCorpus(dir: string, only?: string[]): EvalScenario[] {
  const scenarios = fs
    .readdirSync(dir)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()
    .map(f => readScenario(path.join(dir, f)));
  const ids = new Set<string>();
  for (const s of scenarios) {
    if (ids.has(s.id)) throw new Error(`duplicate scenario id ${s.id}`);
    ids.add(s.id);
  }
  if (!only?.length) return scenarios;
  const missing = only.filter(id => !ids.has(id));
  if (missing.length)
    throw new Error(`unknown scenarios: ${missing.join(', ')}`);
  return scenarios.filter(s => only.includes(s.id));
}
