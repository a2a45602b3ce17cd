import { LlmDiagnosis } from './schema';

/** The objects (and their containers) the model was shown. */
export interface KnownObject {
  cluster?: string;
  kind: string;
  namespace?: string;
  name: string;
  containers?: string[];
}

// Generated pod and ReplicaSet names: `<name>-<template hash>[-<5 chars>]`.
const GENERATED_NAME = /\b[a-z0-9](?:[-a-z0-9]*[a-z0-9])?-[b-df-hj-np-tv-z2456789]{6,10}(?:-[b-df-hj-np-tv-z2456789]{5})?\b/g;

/**
 * Rejects an answer that names anything it was not given: every structured
 * reference must be a known object (and container), and generated pod or
 * ReplicaSet names in free text must be known too. Returns the problems; an
 * empty list means grounded.
 */
export function checkGrounding(
  answer: LlmDiagnosis,
  known: KnownObject[],
  findingIds: string[],
): string[] {
  const problems: string[] = [];
  const key = (kind: string, namespace: string | undefined, name: string) =>
    `${kind.toLowerCase()}/${namespace ?? ''}/${name}`;
  const byKey = new Map(known.map(o => [key(o.kind, o.namespace, o.name), o]));
  const names = new Set(known.map(o => o.name));

  const checkRef = (
    where: string,
    ref: { kind: string; namespace?: string; name: string },
    container?: string,
  ) => {
    const object = byKey.get(key(ref.kind, ref.namespace, ref.name));
    if (!object) {
      problems.push(
        `${where} names ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${
          ref.name
        }, which it was not given`,
      );
      return;
    }
    if (container && !(object.containers ?? []).includes(container)) {
      problems.push(
        `${where} names container ${container} of ${ref.kind} ${ref.name}, which it was not given`,
      );
    }
  };

  const ids = new Set(findingIds);
  for (const id of answer.confirmedFindings) {
    if (!ids.has(id)) problems.push(`confirms finding ${id}, which does not exist`);
  }
  answer.additionalFindings.forEach((finding, i) =>
    checkRef(`finding ${i + 1}`, finding.resource, finding.container),
  );
  answer.recommendations.forEach((rec, i) => {
    if (rec.target) checkRef(`recommendation ${i + 1}`, rec.target);
    if (rec.action && !rec.target) {
      problems.push(`recommendation ${i + 1} has an action but no target`);
    }
  });

  const texts = [
    answer.summary,
    answer.rootCause,
    ...answer.additionalFindings.flatMap(f => [f.message, ...f.evidence]),
    ...answer.recommendations.flatMap(r => [r.title, r.detail ?? '']),
  ];
  const unknown = new Set<string>();
  for (const text of texts) {
    for (const match of text.match(GENERATED_NAME) ?? []) {
      if (!names.has(match) && !isPrefixOfKnown(match, names)) unknown.add(match);
    }
  }
  for (const name of unknown) {
    problems.push(`mentions ${name}, an object it was not given`);
  }
  return problems;
}

// "checkout-7d9f8b6c5" is fine when "checkout-7d9f8b6c5-x2x4p" was given.
function isPrefixOfKnown(candidate: string, names: Set<string>) {
  for (const name of names) {
    if (name.startsWith(`${candidate}-`)) return true;
  }
  return false;
}
