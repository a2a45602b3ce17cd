import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { OPENSLO_ANNOTATION } from '@kubecopilot/backstage-plugin-kubecopilot-common';

/** Larger files are refused: an SLO file is a few kB. */
export const MAX_OPENSLO_BYTES = 256 * 1024;

/** Where an entity's OpenSLO file is, or why it cannot be found. */
export type OpenSloLocation =
  | { type: 'url'; target: string }
  | { type: 'file'; target: string; root: string }
  | { problem: string };

/**
 * Resolves the `kubecopilot.io/openslo` annotation the way TechDocs resolves
 * `techdocs-ref: dir:.`: an absolute URL as is; a relative path against the
 * entity's `backstage.io/source-location`, else its
 * `backstage.io/managed-by-location`. A file location (the demo's
 * `file:` catalog locations) resolves on disk and may not leave the
 * directory of the entity's own file.
 */
export function locateOpenSlo(
  entity: Entity,
  integrations: ScmIntegrationRegistry,
): OpenSloLocation | undefined {
  const ref = entity.metadata.annotations?.[OPENSLO_ANNOTATION]?.trim();
  if (ref === undefined) return undefined;
  if (!ref) return { problem: `the ${OPENSLO_ANNOTATION} annotation is empty` };
  if (/^https?:\/\//.test(ref)) return { type: 'url', target: ref };
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || isAbsolute(ref)) {
    return {
      problem: `${OPENSLO_ANNOTATION} must be a path relative to the entity's source location (e.g. ./slo.yaml) or an http(s) URL`,
    };
  }
  const annotations = entity.metadata.annotations ?? {};
  const base =
    annotations[ANNOTATION_SOURCE_LOCATION] ?? annotations[ANNOTATION_LOCATION];
  if (!base) {
    return {
      problem: `the entity has neither ${ANNOTATION_SOURCE_LOCATION} nor ${ANNOTATION_LOCATION} to resolve ${OPENSLO_ANNOTATION} against`,
    };
  }
  let location: { type: string; target: string };
  try {
    location = parseLocationRef(base);
  } catch {
    return { problem: `the entity's location '${base}' cannot be parsed` };
  }
  if (location.type === 'url') {
    return {
      type: 'url',
      target: integrations.resolveUrl({ url: ref, base: location.target }),
    };
  }
  if (location.type === 'file' || location.type === 'dir') {
    const root =
      location.type === 'dir' || location.target.endsWith('/')
        ? location.target
        : dirname(location.target);
    const target = resolve(root, ref);
    const inside = relative(root, target);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      return {
        problem: `${OPENSLO_ANNOTATION} '${ref}' points outside the directory of the entity's location`,
      };
    }
    return { type: 'file', target, root };
  }
  return {
    problem: `the entity's location type '${location.type}' cannot be read (url, file and dir can)`,
  };
}

/** Reads the file; a problem (not a throw) when it cannot be read. */
export async function readOpenSloFile(
  location: Exclude<OpenSloLocation, { problem: string }>,
  reader: UrlReaderService,
  signal?: AbortSignal,
): Promise<{ text: string } | { problem: string }> {
  try {
    let buffer: Buffer;
    if (location.type === 'url') {
      const response = await reader.readUrl(location.target, { signal });
      buffer = await response.buffer();
    } else {
      buffer = await readFile(location.target, { signal });
    }
    if (buffer.length > MAX_OPENSLO_BYTES) {
      return {
        problem: `the OpenSLO file is ${buffer.length} bytes; at most ${MAX_OPENSLO_BYTES} are read`,
      };
    }
    return { text: buffer.toString('utf8') };
  } catch (error) {
    const e = error as { name?: string; code?: string; message?: string };
    const why =
      e.code === 'ENOENT' || e.name === 'NotFoundError'
        ? 'not found'
        : e.name ?? e.code ?? 'error';
    // The reader's message may hold tokens in URLs or host paths: name only the kind.
    return { problem: `the OpenSLO file cannot be read (${why})` };
  }
}
