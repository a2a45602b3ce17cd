import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** A full entity ref (`kind:namespace/name`, namespace optional) or InputError. */
export function parseEntityRefQuery(value: string): CompoundEntityRef {
  try {
    return parseEntityRef(value);
  } catch (error) {
    throw new InputError(`Invalid entityRef '${value}': ${error.message}`);
  }
}
