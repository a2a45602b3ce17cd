import { InputError } from '@backstage/errors';
import {
  CLUSTER_AUTH_HEADER,
  MAX_CLUSTER_AUTH_HEADER_BYTES,
  ClusterAuth,
  clusterAuthSchema,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import { RequestHandler } from 'express';
import { withClusterAuth } from '../kubernetes/clusterAuth';

/**
 * Parses the `X-Kubecopilot-Cluster-Auth` header. Errors name what is wrong,
 * never the value: it holds the user's tokens.
 */
export function parseClusterAuthHeader(value: string): ClusterAuth {
  if (Buffer.byteLength(value, 'utf8') > MAX_CLUSTER_AUTH_HEADER_BYTES) {
    throw new InputError(
      `${CLUSTER_AUTH_HEADER} is larger than ${MAX_CLUSTER_AUTH_HEADER_BYTES} bytes`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new InputError(`${CLUSTER_AUTH_HEADER} is not JSON`);
  }
  const result = clusterAuthSchema.safeParse(json);
  if (!result.success) {
    const paths = result.error.issues.map(
      issue => issue.path.join('.') || '(root)',
    );
    throw new InputError(
      `${CLUSTER_AUTH_HEADER} is malformed at ${[...new Set(paths)].join(
        ', ',
      )}: expected { "<auth>": "<token>" | { "<provider>": "<token>" } }`,
    );
  }
  return result.data;
}

/**
 * Makes the user's cluster credentials, when the request carries them,
 * available to this request's Kubernetes reads (see kubernetes/clusterAuth.ts)
 * and forgets them once the response is done. Mount it after the body
 * parser: handlers it calls run inside its context, while a body parser's
 * stream callbacks would not.
 */
export function clusterAuthMiddleware(): RequestHandler {
  return (req, res, next) => {
    const header = req.header(CLUSTER_AUTH_HEADER);
    if (header === undefined) {
      next();
      return;
    }
    const auth = parseClusterAuthHeader(header);
    const { end } = withClusterAuth(auth, () => next());
    res.once('close', end);
  };
}
