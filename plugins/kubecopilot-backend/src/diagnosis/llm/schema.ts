import { z } from 'zod';

const objectRef = z.object({
  kind: z.string().min(1).max(63),
  namespace: z.string().max(253).optional(),
  name: z.string().min(1).max(253),
});

/**
 * What the model must answer. Kept separate from the public `Diagnosis` so the
 * model never fills ids, timestamps or sources, and every field it does fill
 * has a bound.
 */
export const llmDiagnosisSchema = z.object({
  summary: z.string().min(1).max(1_000),
  rootCause: z.string().min(1).max(4_000),
  /** Ids (`F1`, `F2`, …) of the rule-based findings the model confirms. */
  confirmedFindings: z.array(z.string().max(10)).max(100),
  additionalFindings: z
    .array(
      z.object({
        code: z.string().min(1).max(64),
        severity: z.enum(['info', 'warning', 'error', 'critical']),
        resource: objectRef,
        container: z.string().max(253).optional(),
        message: z.string().min(1).max(1_000),
        evidence: z.array(z.string().max(1_000)).max(20),
      }),
    )
    .max(20),
  recommendations: z
    .array(
      z.object({
        title: z.string().min(1).max(300),
        detail: z.string().max(2_000).optional(),
        action: z
          .enum(['restart', 'scale', 'delete', 'update'])
          .optional(),
        target: objectRef.optional(),
        // The change model's fields, flattened for the model: `container`
        // names the container that `image`, `resources` or `env` change.
        params: z
          .object({
            replicas: z.number().int().min(0).max(1_000).optional(),
            container: z.string().min(1).max(63).optional(),
            image: z.string().max(512).optional(),
            resources: z
              .object({
                limits: z.record(z.string().max(63), z.string().max(32)).optional(),
                requests: z.record(z.string().max(63), z.string().max(32)).optional(),
              })
              .optional(),
            env: z.record(z.string().max(253), z.string().max(1_000)).optional(),
          })
          .optional(),
      }),
    )
    .max(10),
});

export type LlmDiagnosis = z.infer<typeof llmDiagnosisSchema>;
