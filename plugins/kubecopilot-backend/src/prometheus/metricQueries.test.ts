import { DEFAULT_CANARY_QUERY_TEMPLATES } from './queries';
import {
  defaultMetricQueryTemplates,
  podNamePattern,
  renderMetricTemplate,
} from './metricQueries';

describe('metric query templates', () => {
  const templates = defaultMetricQueryTemplates(DEFAULT_CANARY_QUERY_TEMPLATES);

  it('renders the defaults for a Deployment with its pods, escaped', () => {
    const params = {
      kind: 'Deployment',
      namespace: 'shop',
      name: 'image-resizer',
      window: '1m',
    };
    expect(renderMetricTemplate(templates.memory, params)).toBe(
      'max by (container) (container_memory_working_set_bytes{namespace="shop",pod=~"image-resizer-[a-z0-9]+-[a-z0-9]+",container!="",container!="POD"})',
    );
    expect(renderMetricTemplate(templates.memoryLimits, params)).toBe(
      'max by (container) (kube_pod_container_resource_limits{namespace="shop",pod=~"image-resizer-[a-z0-9]+-[a-z0-9]+",resource="memory"})',
    );
    expect(renderMetricTemplate(templates.errorRatio, params)).toBe(
      'sum(rate(http_requests_total{namespace="shop",deployment="image-resizer",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="shop",deployment="image-resizer"}[1m]))',
    );
    expect(renderMetricTemplate(templates.replicas, params)).toBe(
      'sum(kube_deployment_status_replicas_available{namespace="shop",deployment="image-resizer"})',
    );
  });

  it('knows how each controller names its pods', () => {
    expect(podNamePattern('StatefulSet', 'db')).toBe('db-[0-9]+');
    expect(podNamePattern('DaemonSet', 'agent')).toBe('agent-[a-z0-9]+');
    expect(podNamePattern('Pod', 'debug.1')).toBe('debug\\.1');
    // In the PromQL string the regex backslash is escaped once more.
    expect(
      renderMetricTemplate('x{pod=~"{{pod}}"}', {
        kind: 'Pod',
        namespace: 'a',
        name: 'debug.1',
        window: '1m',
      }),
    ).toBe('x{pod=~"debug\\\\.1"}');
  });

  it('refuses a window that is not a duration', () => {
    expect(() =>
      renderMetricTemplate(templates.cpu, {
        kind: 'Deployment',
        namespace: 'a',
        name: 'b',
        window: '1m])',
      }),
    ).toThrow('window must be a PromQL duration');
  });
});
