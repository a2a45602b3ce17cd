import { InputError } from '@backstage/errors';
import type { KubeObject } from '../kubernetes/types';
import { DEFAULT_MAX_REPLICAS } from './params';

export function replicasOf(object: KubeObject | null | undefined): number {
  const value = object?.spec?.replicas;
  // The API server defaults an unset replicas to 1.
  return typeof value === 'number' ? value : 1;
}

export function checkReplicas(replicas: number, max = DEFAULT_MAX_REPLICAS) {
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > max) {
    throw new InputError(
      `replicas must be a whole number from 0 to ${max}; got ${replicas}`,
    );
  }
}
