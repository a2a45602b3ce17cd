import { z } from 'zod';
import { planActionSchema } from './plan';

/**
 * One object matching a natural-language read query.
 *
 * @public
 */
export const queryResultItemSchema = z.object({
  cluster: z.string(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  /** Phase or state as kubectl shows it (Running, CrashLoopBackOff, …). */
  status: z.string(),
  ready: z.string().optional(),
  restarts: z.number().optional(),
  /** When the last restart or the object's creation happened (ISO-8601). */
  since: z.string().optional(),
});
/** @public */
export type QueryResultItem = z.infer<typeof queryResultItemSchema>;

/**
 * `POST /api/kubecopilot/query` `{ entityRef, question }`. A read question is
 * answered with matching objects; a write intent is only recognised — the
 * caller shows what was understood and creates a plan with `POST /plans`.
 *
 * @public
 */
export const queryResponseSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('resources'),
    question: z.string(),
    /** What was understood, in words ("pods in CrashLoopBackOff"). */
    understood: z.string(),
    items: z.array(queryResultItemSchema),
    /** Clusters that could not be read. */
    errors: z.array(z.object({ cluster: z.string(), message: z.string() })),
  }),
  z.object({
    type: z.literal('intent'),
    question: z.string(),
    understood: z.string(),
    action: planActionSchema,
    target: z.object({ kind: z.string().optional(), name: z.string() }),
    params: z.record(z.string(), z.unknown()),
  }),
]);
/** @public */
export type QueryResponse = z.infer<typeof queryResponseSchema>;
