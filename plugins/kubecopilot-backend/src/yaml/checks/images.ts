import { containersOf } from '../manifest';
import { ManifestCheck, ManifestRule } from '../types';

/** The tag of an image reference; undefined for none, null when pinned by digest. */
export function imageTag(image: string): string | undefined | null {
  if (image.includes('@')) return null;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

function isMutableTag(image: string) {
  const tag = imageTag(image);
  return tag === undefined || tag === 'latest';
}

/** What runs must be the version you meant, on every node. */
export const imagesRule: ManifestRule = object =>
  containersOf(object, ['initContainers', 'containers']).flatMap(
    ({ container, path }) => {
      const name = container.name ?? '(unnamed)';
      const image: string = container.image ?? '';
      const checks: ManifestCheck[] = [];
      if (image && isMutableTag(image)) {
        const shown =
          imageTag(image) === undefined
            ? `${image} (no tag, which means latest)`
            : image;
        checks.push({
          id: 'image-tag-mutable',
          severity: 'warning',
          path: `${path}.image`,
          message: `Container ${name} runs ${shown}: which version actually runs depends on when each node pulled it, and a rollback has no earlier version to go back to.`,
          fix: `Pin a version tag (e.g. ${image.replace(
            /:latest$/,
            '',
          )}:1.4.2) or a digest (@sha256:…), and release by changing it through a plan.`,
          source:
            'kube-score: container-image-tag · Polaris: tagNotSpecified · kube-linter: latest-tag',
        });
      }
      const policy = container.imagePullPolicy;
      if (policy === 'Never') {
        checks.push({
          id: 'image-pull-policy-never',
          severity: 'warning',
          path: `${path}.imagePullPolicy`,
          message: `Container ${name} has imagePullPolicy: Never: a pod scheduled onto a node that does not already have the image fails with ErrImageNeverPull — typically on the first new node after a scale-up.`,
          fix: `Remove imagePullPolicy (for a pinned tag the default is IfNotPresent), unless images are preloaded on every node by design.`,
          source: 'kube-score: container-image-pull-policy',
        });
      } else if (policy === 'IfNotPresent' && image && isMutableTag(image)) {
        checks.push({
          id: 'image-pull-policy-stale',
          severity: 'warning',
          path: `${path}.imagePullPolicy`,
          message: `Container ${name} pulls a mutable tag with imagePullPolicy: IfNotPresent: each node keeps whichever "latest" it pulled first, so replicas on different nodes run different code.`,
          fix: `Pin the image to a version (then IfNotPresent is right); if you must use a moving tag, set imagePullPolicy: Always.`,
          source:
            'kube-score: container-image-pull-policy · Polaris: pullPolicyNotAlways',
        });
      }
      return checks;
    },
  );
