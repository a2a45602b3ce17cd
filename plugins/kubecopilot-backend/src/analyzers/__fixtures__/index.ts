import fs from 'fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { FindingEvidence } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { AnalysisContext, createAnalysisContext } from '../types';

/** The cluster name every fixture is analysed as. */
export const CLUSTER = 'prod-eu';

const DIR = resolvePackagePath(
  '@kubecopilot/backstage-plugin-kubecopilot-backend',
  'src/analyzers/__fixtures__',
);

/** Every fixture scenario, by file name without `.json`. */
export const FIXTURES = fs
  .readdirSync(DIR)
  .filter(f => f.endsWith('.json'))
  .map(f => f.replace(/\.json$/, ''))
  .sort();

/**
 * Loads a scenario: a JSON object holding the lists of an AnalysisContext
 * exactly as the API server returns the objects (timestamps as strings).
 */
export function loadContext(name: string): AnalysisContext {
  const raw = JSON.parse(fs.readFileSync(`${DIR}/${name}.json`, 'utf8'));
  // `now` is written as a timestamp, like every other time in the fixture.
  if (typeof raw.now === 'string') raw.now = Date.parse(raw.now);
  return createAnalysisContext(CLUSTER, raw);
}

/** Field evidence as the analyzers write it (values are strings). */
export const f = (path: string, value: string): FindingEvidence => ({
  type: 'field',
  path,
  value,
});

/** Event evidence as the analyzers write it. */
export const ev = (
  reason: string,
  message: string,
  count: number,
): FindingEvidence => ({
  type: 'event',
  reason,
  message,
  count,
});
