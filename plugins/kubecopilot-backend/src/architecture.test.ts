/**
 * The house rules of the backend, checked on its import graph: the
 * vocabulary of a change (`changes/`) depends on no service; `plans/` never
 * reaches into execution or canaries; execution depends on plans in one
 * direction only and never on canaries; the actions an agent calls reach
 * neither decisions, execution nor the cluster client. Tests and test helpers are exempt.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = __dirname;

/** folder → folders it must not import from */
const FORBIDDEN: Record<string, string[]> = {
  changes: ['plans', 'execution', 'canary', 'service', 'diagnosis/llm'],
  plans: ['execution', 'canary', 'service'],
  execution: ['canary', 'service'],
  canary: ['execution', 'service'],
  risk: ['plans', 'execution', 'canary', 'service'],
  // What an agent reaches: diagnoses and drafts, never a decision or a write.
  actions: ['execution', 'canary', 'plans/PlanDecisions', 'kubernetes'],
  // The events timeline only reads: the cluster as the user, plans through the authorized reader.
  events: ['execution', 'canary', 'service', 'plans/PlanDecisions'],
};

/** Longest production file, in lines. */
const MAX_LINES = 500;

function productionFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === '__testUtils__' || name === '__fixtures__' || name === 'bench'
        ? []
        : productionFiles(path);
    }
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s+'([^']+)'/gm),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
  ].map(m => m[1]);
  return specifiers
    .filter(s => s.startsWith('.'))
    .map(s => relative(SRC, resolve(dirname(file), s)));
}

const files = productionFiles(SRC);

describe('the backend house rules', () => {
  it('reads the imports it checks', () => {
    expect(importsOf(join(SRC, 'plans', 'PlanDrafter.ts'))).toContain(
      'changes/change',
    );
  });

  it('finds the folders it checks', () => {
    const folders = new Set(files.map(f => relative(SRC, f).split('/')[0]));
    for (const folder of Object.keys(FORBIDDEN)) {
      expect(folders).toContain(folder);
    }
  });

  it.each(Object.entries(FORBIDDEN))(
    '%s/ imports nothing from %j',
    (folder, forbidden) => {
      const violations = files
        .filter(f => relative(SRC, f).startsWith(`${folder}/`))
        .flatMap(f =>
          importsOf(f)
            .filter(target =>
              forbidden.some(
                other => target === other || target.startsWith(`${other}/`),
              ),
            )
            .map(target => `${relative(SRC, f)} → ${target}`),
        );
      expect(violations).toEqual([]);
    },
  );

  it(`keeps every production file within ${MAX_LINES} lines`, () => {
    const long = files
      .map(f => ({
        file: relative(SRC, f),
        lines: readFileSync(f, 'utf8').split('\n').length,
      }))
      .filter(f => f.lines > MAX_LINES)
      .map(f => `${f.file}: ${f.lines}`);
    expect(long).toEqual([]);
  });
});
