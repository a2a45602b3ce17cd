import { z } from 'zod';

/**
 * The request header in which the KubeCopilot frontend sends the signed-in
 * user's own Kubernetes credentials (for clusters whose Kubernetes plugin
 * `authProvider` is client-side: `oidc`, `google`, `aks`, …) to the
 * KubeCopilot backend, which forwards them for that request's reads only.
 *
 * @public
 */
export const CLUSTER_AUTH_HEADER = 'X-Kubecopilot-Cluster-Auth';

/**
 * The largest header value accepted, in bytes. Node refuses requests whose
 * headers together pass 16 KiB, so this leaves room for the rest; a few ID
 * tokens fit.
 *
 * @public
 */
export const MAX_CLUSTER_AUTH_HEADER_BYTES = 8 * 1024;

// The names become parts of `Backstage-Kubernetes-Authorization-<auth>-<provider>`
// proxy headers, so they must be valid header-name characters; the Kubernetes
// backend lowercases and splits them on '-', so the auth name has none.
const authNameSchema = z.string().regex(/^[A-Za-z0-9]{1,32}$/);
const providerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
// Tokens travel as header values: visible ASCII only (JWTs, OAuth tokens).
const tokenSchema = z.string().regex(/^[\x21-\x7e]{1,4096}$/);

/**
 * The header's JSON: the Kubernetes plugin's `KubernetesRequestAuth` shape,
 * e.g. `{ "oidc": { "okta": "<id token>" } }` or `{ "google": "<token>" }`,
 * exactly what its own frontend sends in `auth` of the workloads query.
 *
 * @public
 */
export const clusterAuthSchema = z
  .record(
    authNameSchema,
    z.union([
      tokenSchema,
      z
        .record(providerNameSchema, tokenSchema)
        .refine(providers => Object.keys(providers).length <= 8, {
          message: 'at most 8 providers',
        }),
    ]),
  )
  .refine(auth => Object.keys(auth).length <= 8, {
    message: 'at most 8 auth providers',
  });

/** @public */
export type ClusterAuth = z.infer<typeof clusterAuthSchema>;
