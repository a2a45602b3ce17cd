import {
  bytesQuantity,
  formatBytes,
  parseQuantity,
} from '../../kubernetes/quantity';
import { containersOf } from '../manifest';
import { ManifestCheck, ManifestRule } from '../types';

const SOURCE =
  'observed use: cAdvisor container_memory_working_set_bytes, the figure the OOM killer and the Vertical Pod Autoscaler go by';

/** Below this share of headroom over the peak, a limit is too tight. */
export const MIN_HEADROOM = 0.1;
/** A request this many times the peak (and 256 MiB above it) reserves memory nothing uses. */
export const OVER_REQUEST_FACTOR = 4;
const OVER_REQUEST_MIN_BYTES = 256 * 2 ** 20;

/** A limit with a quarter of headroom over the observed peak. */
const withHeadroom = (peak: number) => bytesQuantity(peak * 1.25);

/**
 * The manifest's memory against what its containers used (when Prometheus
 * is configured for the cluster): a limit at or below the observed peak
 * means an OOM kill the moment the edit is applied; one within 10 % of it,
 * an OOM kill at the next busy hour. A request far above use reserves
 * memory other pods cannot get. Judges the manifest as shown or edited.
 */
export const observedUseRule: ManifestRule = (object, context) => {
  const observed = context.observed;
  if (!observed) return [];
  return containersOf(object).flatMap(({ container, path }) => {
    const name: string = container.name ?? '(unnamed)';
    const peak = observed.memoryPeakBytes[name];
    if (peak === undefined) return [];
    const checks: ManifestCheck[] = [];
    const used = `its pods' memory working set peaked at ${formatBytes(
      peak,
    )} over the last ${observed.window}`;
    const limitText = container.resources?.limits?.memory;
    const limit = parseQuantity(limitText);
    if (limit !== undefined && limit > 0) {
      const suggestion = {
        path: `${path}.resources.limits.memory`,
        value: withHeadroom(peak),
      };
      if (limit <= peak) {
        checks.push({
          id: 'resources-memory-limit-below-use',
          severity: 'error',
          path: suggestion.path,
          message: `Container ${name}'s memory limit (${limitText}) is below what it uses: ${used}. With this limit the kernel OOM-kills the container as soon as it reaches that again, and it restarts in a loop.`,
          fix: `Set resources.limits.memory above the observed peak with room for spikes — ${suggestion.value} is the peak plus a quarter. If the use itself is the problem (a leak, an oversized cache), fix that first and lower the limit after.`,
          source: SOURCE,
          suggestion,
        });
      } else if (limit < peak * (1 + MIN_HEADROOM)) {
        checks.push({
          id: 'resources-memory-limit-near-use',
          severity: 'warning',
          path: suggestion.path,
          message: `Container ${name}'s memory limit (${limitText}) leaves almost no headroom: ${used}, ${Math.round(
            (peak / limit) * 100,
          )} % of the limit. A slightly busier hour, a bigger request or a slow garbage collection gets it OOM-killed.`,
          fix: `Raise resources.limits.memory to ${suggestion.value} (the peak plus a quarter), or find out why it runs so close to the limit.`,
          source: SOURCE,
          suggestion,
        });
      }
    }
    const requestText = container.resources?.requests?.memory;
    const request = parseQuantity(requestText);
    if (
      request !== undefined &&
      request > peak * OVER_REQUEST_FACTOR &&
      request - peak > OVER_REQUEST_MIN_BYTES
    ) {
      const value = bytesQuantity(peak * 1.25);
      checks.push({
        id: 'resources-memory-request-above-use',
        severity: 'info',
        path: `${path}.resources.requests.memory`,
        message: `Container ${name} requests ${requestText} of memory, but ${used}: the scheduler reserves about ${Math.round(
          request / peak,
        )} times what it uses on every node it runs on, memory no other pod can be given.`,
        fix: `Lower resources.requests.memory towards its real use — ${value} is the peak plus a quarter — keeping the limit where it is.`,
        source: SOURCE,
        suggestion: { path: `${path}.resources.requests.memory`, value },
      });
    }
    return checks;
  });
};
