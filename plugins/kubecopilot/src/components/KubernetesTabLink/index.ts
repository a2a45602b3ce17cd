export { KubernetesTabLink, kubernetesTabPath } from './KubernetesTabLink';
