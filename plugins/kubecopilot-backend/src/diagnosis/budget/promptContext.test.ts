import { loadContext } from '../../analyzers/__fixtures__';
import { renderPromptContext, toPromptContext } from './promptContext';

describe('toPromptContext + renderPromptContext', () => {
  it('renders one line per object and per event, oldest event first', () => {
    const pod = 'Pod shop/payments-5c8d7f6b9-lm4vt';
    const image = 'ghcr.io/acme/payments:v2.3.9';
    const ctx = loadContext('pod-imagepull');
    // Events arrive in any order; the prompt lists them by time.
    ctx.events.reverse();
    expect(renderPromptContext(toPromptContext(ctx, [])).split('\n')).toEqual([
      '# Cluster prod-eu',
      '## Objects',
      `${pod} owner=Deployment/payments phase=Running node=ip-10-0-1-23.eu-west-1.compute.internal conditions: Ready=False(ContainersNotReady) ContainersReady=False(ContainersNotReady) | app: image=${image}, ready=false, restarts=0, state=waiting(ImagePullBackOff), limits=cpu:500m,memory:512Mi`,
      '## Events (oldest first)',
      `Normal Scheduled ${pod} (last 2025-01-14T09:00:00Z): Successfully assigned shop/payments-5c8d7f6b9-lm4vt to ip-10-0-1-23.eu-west-1.compute.internal`,
      `Normal Pulling ${pod} [app] ×4 (last 2025-01-14T09:04:09Z): Pulling image "${image}"`,
      `Warning Failed ${pod} [app] ×4 (last 2025-01-14T09:04:10Z): Error: ErrImagePull`,
      `Warning Failed ${pod} [app] ×4 (last 2025-01-14T09:04:10Z): Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
      `Warning Failed ${pod} [app] ×9 (last 2025-01-14T09:06:30Z): Error: ImagePullBackOff`,
      `Normal BackOff ${pod} [app] ×9 (last 2025-01-14T09:06:30Z): Back-off pulling image "${image}"`,
    ]);
  });

  it('summarises every kind and shows only conditions out of their healthy state', () => {
    const text = renderPromptContext(
      toPromptContext(loadContext('healthy-all-kinds'), []),
    );
    expect(text).toContain(
      'Deployment shop/checkout replicas=2 ready=2 available=2 updated=2\n',
    );
    expect(text).toContain(
      'Service shop/checkout type=ClusterIP selector=app.kubernetes.io/name=checkout,app.kubernetes.io/component=backend ports=80->http\n',
    );
    expect(text).toContain('Node ip-10-0-2-41.eu-west-1.compute.internal\n');
    expect(text).toContain(
      'HorizontalPodAutoscaler shop/legacy-admin target=Deployment/legacy-admin min=1 max=3 current=0 desired=0 conditions: ScalingActive=False(ScalingDisabled)\n',
    );
    expect(text).toContain(
      'PersistentVolumeClaim shop/scratch-report phase=Pending storageClass=gp3-wffc\n',
    );
    expect(text).toContain(
      'Job shop/nightly-report-28948680 succeeded=1 failed=0\n',
    );
    expect(text).toContain(
      '## Logs\n### Pod shop/checkout-7d9f8b6c5d-x7k2p container app\n',
    );
  });

  it('names a selector-less Service that nothing backs', () => {
    const ctx = loadContext('service-selectorless-no-endpoints');
    expect(renderPromptContext(toPromptContext(ctx, []))).toContain(
      'Service n-service-selectorless-no-endpoints/payments-db has no selector and neither Endpoints nor EndpointSlices',
    );
  });
});
