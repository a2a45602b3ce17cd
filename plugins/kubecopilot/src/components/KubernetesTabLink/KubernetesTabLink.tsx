import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ResourceRef } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { useLocation } from 'react-router-dom';
import { kubecopilotTranslationRef } from '../../translation';

/**
 * The entity's Kubernetes tab (the Kubernetes plugin's), a sibling of the
 * tab this link is on.
 */
export function kubernetesTabPath(currentPath: string): string {
  const segments = currentPath.replace(/\/+$/, '').split('/');
  segments.pop();
  return `${segments.join('/')}/kubernetes`;
}

/**
 * Out to where the object lives in full: the Kubernetes tab lists the
 * entity's workloads and pods, with each pod's events and (in its drawer)
 * its complete logs, where a finding shows only an excerpt.
 */
export function KubernetesTabLink(props: {
  resource: Pick<ResourceRef, 'kind' | 'name'>;
}) {
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const location = useLocation();
  const isPod = props.resource.kind === 'Pod';
  return (
    <Link
      to={kubernetesTabPath(location.pathname)}
      variant="body2"
      data-testid="kubernetes-tab-link"
    >
      {isPod ? t('linksOut.podLogs') : t('linksOut.kubernetesTab')}
    </Link>
  );
}
