import { z } from 'zod';
import { planActionSchema } from './plan';

/** @public */
export const severitySchema = z.enum(['info', 'warning', 'error', 'critical']);
/** @public */
export type Severity = z.infer<typeof severitySchema>;

/**
 * Stable identifiers of analyzer findings. Add codes, never rename them.
 *
 * @public
 */
export const FINDING_CODES = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'OOMKilled',
  'Unschedulable',
  'ProbeFailure',
  'MissingConfigMap',
  'MissingSecret',
  'ServiceNoEndpoints',
  'DeploymentUnavailable',
  'ProgressDeadlineExceeded',
  'PvcPending',
  'IngressMissingService',
  'HpaAtMaxReplicas',
  'HpaUnableToScale',
  'NodeNotReady',
  'JobFailed',
  'StatefulSetUnavailable',
  'DaemonSetUnavailable',
  'NodePressure',
  // A container that failed and runs again: history, info at most (#13).
  'ContainerRecovered',
  // A container that exited with an error before any crash loop (#13).
  'ContainerExited',
  // Failed pods a controller already replaced: housekeeping (#13).
  'LeftoverPods',
  // A Deployment rolling out or scaling within its deadline: info (#13).
  'RolloutInProgress',
  'DeploymentPaused',
  // A ReplicaSet that cannot create pods: quota, LimitRange, admission (#13).
  'ReplicaSetFailedCreate',
  'IngressMissingTlsSecret',
  'IngressMissingClass',
  // DaemonSet pods on nodes it would no longer schedule onto: info (#13).
  'DaemonSetMisscheduled',
  // A container the kubelet cannot create or start (#19).
  'ContainerCreateError',
  // An init container that runs on and never finishes: Init:0/1 (#19).
  'InitContainerStuck',
  // The node cannot build the pod's sandbox, e.g. its CNI plugin fails (#19).
  'PodSandboxFailed',
  // The pod's volumes cannot be attached or mounted, e.g. Multi-Attach (#19).
  'VolumeMountFailed',
  // A pod deleted long ago that still exists: node lost, finalizer (#19).
  'PodStuckTerminating',
  // A PodDisruptionBudget that refuses every eviction: drains hang (#19).
  'PdbNoDisruptionsAllowed',
  // Another writer of spec.replicas fighting the HPA (GitOps, apply) (#19).
  'HpaReplicasOverridden',
  // A CronJob whose schedule starts no run, e.g. a hung Job under Forbid (#19).
  'CronJobMissedRuns',
  // A StatefulSet whose governing Service (spec.serviceName) is missing (#19).
  'StatefulSetServiceMissing',
  // A Service targetPort its selected pods do not serve (#19).
  'ServicePortMismatch',
  // An Ingress backend port the Service does not have (#19).
  'IngressServicePortMismatch',
  // A claim whose PersistentVolume is gone (phase Lost) (#19).
  'PvcLost',
  // NetworkPolicies that let nothing reach a Service's pods on its port (#19).
  'NetworkPolicyBlocksService',
  // A LoadBalancer Service the cloud gives no address (#19).
  'ServiceLoadBalancerPending',
] as const;
/** @public */
export type FindingCode = (typeof FINDING_CODES)[number];

/** @public */
export const findingEvidenceSchema = z.object({
  /** `field` (a path and its value), `event`, or `log`. */
  type: z.enum(['field', 'event', 'log']),
  path: z.string().optional(),
  value: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  count: z.number().optional(),
  lines: z.array(z.string()).optional(),
});
/** @public */
export type FindingEvidence = z.infer<typeof findingEvidenceSchema>;

/** @public */
export const objectRefSchema = z.object({
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
});
/** @public */
export type ObjectRef = z.infer<typeof objectRefSchema>;

/**
 * A value a fix needs from the person who drafts its plan: the value of a
 * missing environment variable, an image tag that exists. Nobody but a
 * person knows it, so the fix's `params` leave it out and the portal asks
 * for it; the change model then checks it like any typed value (no
 * credential-looking literals).
 *
 * @public
 */
export const fixInputSchema = z.object({
  /** A variable's value, an image reference, or a resource quantity. */
  kind: z.enum(['env', 'image', 'resource']),
  /** The container the value is for. */
  container: z.string(),
  /** The variable's name (`env`), or the resource (`requests.cpu`). */
  name: z.string().optional(),
  /** Where the value goes in the plan's `params`, e.g. `['containers', 'app', 'env', 'API_URL']`. */
  path: z.array(z.string()).min(1),
  /** A starting value: the image that runs now, the request as it is. */
  initial: z.string().optional(),
});
/** @public */
export type FixInput = z.infer<typeof fixInputSchema>;

/**
 * A fix proposed in a structured form the plan builder can consume.
 *
 * @public
 */
export const proposedFixSchema = z.object({
  description: z.string(),
  action: planActionSchema.optional(),
  target: objectRefSchema.optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  /**
   * Why the obvious plan will not help, in plain words ("a restart alone will
   * not help: …"), so nobody executes a plan that changes nothing.
   */
  note: z.string().optional(),
  /** Values a person types before the plan is drafted (`params` holds the rest). */
  asks: z.array(fixInputSchema).optional(),
});
/** @public */
export type ProposedFix = z.infer<typeof proposedFixSchema>;

/** @public */
export const findingSchema = z.object({
  /** Unique within its diagnosis; what `causedBy` points at. */
  id: z.string().optional(),
  /**
   * The id of the finding that explains this one: a Deployment's unavailable
   * replicas are caused by its pods' crashing container. Absent on a cause.
   */
  causedBy: z.string().optional(),
  analyzer: z.string(),
  code: z.string(),
  severity: severitySchema,
  cluster: z.string(),
  resource: objectRefSchema,
  container: z.string().optional(),
  message: z.string(),
  evidence: z.array(findingEvidenceSchema),
  proposedFix: proposedFixSchema.optional(),
});
/** @public */
export type Finding = z.infer<typeof findingSchema>;

/** @public */
export const recommendationSchema = z.object({
  title: z.string(),
  detail: z.string().optional(),
  action: planActionSchema.optional(),
  target: objectRefSchema.extend({ cluster: z.string().optional() }).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  /** Values a person types before the plan is drafted (see `ProposedFix.asks`). */
  asks: z.array(fixInputSchema).optional(),
});
/** @public */
export type Recommendation = z.infer<typeof recommendationSchema>;

/** @public */
export const diagnosisSchema = z.object({
  id: z.string(),
  entityRef: z.string(),
  createdAt: z.string(),
  source: z.enum(['rules', 'llm']),
  model: z.string().optional(),
  promptVersion: z.string().optional(),
  summary: z.string(),
  /**
   * One sentence naming the cause of the worst problem, derived by the rules
   * from the cause's evidence ("checkout is down: 2.3.1 exits because
   * PAYMENT_GATEWAY_URL is not set"); absent when nothing is wrong.
   */
  headline: z.string().optional(),
  rootCause: z.string().optional(),
  findings: z.array(findingSchema),
  recommendations: z.array(recommendationSchema),
  /** What could not be gathered or analysed; a non-empty list means partial. */
  errors: z.array(z.string()),
  /** Why the rules answered when an LLM is configured. */
  fallbackReason: z.string().optional(),
  usage: z
    .object({
      promptTokens: z.number(),
      completionTokens: z.number(),
      rawContextChars: z.number().optional(),
      sentContextChars: z.number().optional(),
    })
    .optional(),
});
/** @public */
export type Diagnosis = z.infer<typeof diagnosisSchema>;
