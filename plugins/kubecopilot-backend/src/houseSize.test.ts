/**
 * The size rules of the whole repository's production code (every plugin and
 * package): no file over 500 lines except the demo cluster's table printers,
 * no function over 120 lines — what a reader can hold in their head. Tests,
 * test helpers, fixtures and benchmarks are exempt.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../../..');
const WORKSPACES = ['plugins', 'packages'];
const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 120;
/** Files allowed past the file ceiling, with the reason. */
const FILE_EXCEPTIONS: Record<string, string> = {
  'packages/demo-cluster/src/printing/printers.ts':
    "kubectl's table printers: one column list per kind, read as a table",
};
const SKIP_DIRS = new Set([
  'node_modules',
  'dist',
  'dist-types',
  '__testUtils__',
  '__fixtures__',
  'bench',
]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return SKIP_DIRS.has(name) ? [] : sources(path);
    }
    return /\.(ts|tsx)$/.test(name) && !/\.(test|d)\.tsx?$/.test(name)
      ? [path]
      : [];
  });
}

const files = WORKSPACES.flatMap(ws =>
  readdirSync(join(ROOT, ws))
    // The browser tests are tests, whole.
    .filter(pkg => pkg !== 'e2e-tests')
    .map(pkg => join(ROOT, ws, pkg, 'src'))
    .filter(src => {
      try {
        return statSync(src).isDirectory();
      } catch {
        return false;
      }
    })
    .flatMap(sources),
);

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name) return named.name.getText();
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))
  ) {
    return parent.name.getText();
  }
  return '(anonymous)';
}

function longFunctions(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && (node as { body?: ts.Node }).body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES) {
        found.push(
          `${relative(ROOT, file)}:${start + 1} ${nameOf(
            node,
          )}: ${lines} lines`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the size of the house', () => {
  it('reads the packages it checks', () => {
    const packages = new Set(
      files.map(f => relative(ROOT, f).split('/src/')[0]),
    );
    expect(packages).toContain('plugins/kubecopilot');
    expect(packages).toContain('plugins/kubecopilot-backend');
    expect(packages).toContain('packages/demo-cluster');
  });

  it('measures functions', () => {
    // This file's own `longFunctions` is short; a 121-line function is found.
    const body = Array.from({ length: 119 }, () => '  x += 1;').join('\n');
    const probe = join(__dirname, '__houseSizeProbe.ts');
    const text = `export function long() {\n  let x = 0;\n${body}\n}\n`;
    require('node:fs').writeFileSync(probe, text);
    try {
      expect(longFunctions(probe)).toEqual([
        expect.stringContaining('long: 122 lines'),
      ]);
    } finally {
      require('node:fs').unlinkSync(probe);
    }
  });

  it(`keeps every production file within ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .filter(f => !FILE_EXCEPTIONS[relative(ROOT, f)])
      .map(f => ({ f, lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ f, lines }) => `${relative(ROOT, f)}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it(`keeps every function within ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap(longFunctions)).toEqual([]);
  });
});
