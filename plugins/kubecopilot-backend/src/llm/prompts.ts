import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/**
 * The prompts folder: `kubecopilot.llm.promptsDir` when configured, else the
 * package's own `prompts/` (in the workspace and when installed).
 */
export function promptsDir(config?: Config): string {
  return (
    config?.getOptionalString('kubecopilot.llm.promptsDir') ??
    resolvePackagePath(
      '@kubecopilot/backstage-plugin-kubecopilot-backend',
      'prompts',
    )
  );
}

/** One versioned prompt file, e.g. `prompts/diagnose/v1.md`. */
export interface PromptTemplate {
  /** `diagnose/v1`: recorded with every answer made from it. */
  version: string;
  system: string;
  user: string;
}

/** A rendered prompt and the nonce that delimits its untrusted data. */
export interface RenderedPrompt {
  version: string;
  system: string;
  user: string;
  nonce: string;
}

const VERSION_FILE = /^v(\d+)\.md$/;

/**
 * Loads the newest version of a prompt from `dir/<name>/vN.md`. A file holds an
 * optional HTML comment, then `## system` and `## user` sections.
 */
export async function loadPrompt(
  dir: string,
  name: string,
): Promise<PromptTemplate> {
  const folder = join(dir, name);
  const files = (await readdir(folder))
    .map(file => ({ file, match: VERSION_FILE.exec(file) }))
    .filter(f => f.match)
    .sort((a, b) => Number(b.match![1]) - Number(a.match![1]));
  if (files.length === 0) {
    throw new Error(`no prompt versions (vN.md) found in ${folder}`);
  }
  const { file } = files[0];
  return parsePrompt(
    `${name}/${file.replace(/\.md$/, '')}`,
    await readFile(join(folder, file), 'utf8'),
  );
}

export function parsePrompt(version: string, text: string): PromptTemplate {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const system = /^## system\s*$([\s\S]*?)(?=^## user\s*$)/m.exec(body);
  const user = /^## user\s*$([\s\S]*)$/m.exec(body);
  if (!system || !user) {
    throw new Error(
      `prompt ${version} must have a '## system' and a '## user' section`,
    );
  }
  return { version, system: system[1].trim(), user: user[1].trim() };
}

/**
 * Fills `{{placeholders}}`. Values are inserted once, never re-scanned, so
 * data that contains `{{…}}` or the delimiters cannot inject template text;
 * the random nonce makes the data delimiters unguessable for the data itself.
 */
export function renderPrompt(
  template: PromptTemplate,
  values: Record<string, string>,
): RenderedPrompt {
  const nonce = randomBytes(6).toString('hex');
  const all: Record<string, string> = { ...values, nonce };
  const fill = (text: string) =>
    text.replace(/\{\{(\w+)\}\}/g, (_placeholder, key: string) => {
      if (!(key in all)) {
        throw new Error(`prompt ${template.version} needs a value for ${key}`);
      }
      // The nonce never appears in data; strip any lookalike delimiter anyway.
      return key === 'nonce' ? nonce : all[key].split(nonce).join('');
    });
  return {
    version: template.version,
    system: fill(template.system),
    user: fill(template.user),
    nonce,
  };
}
