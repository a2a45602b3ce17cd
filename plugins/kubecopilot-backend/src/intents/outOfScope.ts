/** What a plan can do, in the words a refusal uses. */
export const WHAT_KUBECOPILOT_CAN_DO =
  'KubeCopilot can restart, scale or roll back a workload, update its image, resources or environment values, and delete a pod; ask an operator for anything else';

/** Verbs of changes KubeCopilot never plans (a pod delete is parsed before this). */
const OTHER_CHANGES =
  /^\s*(?:please\s+|can you\s+|could you\s+)?(delete|remove|drop|destroy|wipe|purge|drain|cordon|uncordon|evict|taint|exec|apply|create|patch|edit|label|annotate|kill|reboot|rotate|expose|attach|replace|suspend|pause|resume)\b/i;

/**
 * For a request that asks for a change outside the whitelist ("delete
 * namespace shop", "drain node-1"), the answer that says so — rather than
 * "did not understand", which sends people rephrasing what will never be
 * allowed. Undefined for anything else.
 */
export function outOfScope(text: string): string | undefined {
  const verb = OTHER_CHANGES.exec(text)?.[1];
  if (!verb) return undefined;
  const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return `Not allowed: "${shown}" asks KubeCopilot to ${verb.toLowerCase()}, which it never does. ${WHAT_KUBECOPILOT_CAN_DO}.`;
}
