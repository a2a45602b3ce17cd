import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityResource } from './resource';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The `kubecopilot-entity` resources of the given refs, in the order asked.
 * Every ref yields one: records outlive their entity, and an entity the
 * catalog does not return (unknown, deleted, or hidden from `credentials`)
 * is owned by no one.
 */
export async function loadEntityResources(
  catalog: CatalogService,
  entityRefs: string[],
  credentials: BackstageCredentials,
): Promise<EntityResource[]> {
  if (entityRefs.length === 0) return [];
  const { items } = await catalog.getEntitiesByRefs(
    {
      entityRefs,
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'relations'],
    },
    { credentials },
  );
  return entityRefs.map((ref, i) => ({
    entityRef: lower(ref),
    ownerRefs: ownersOf(items[i]),
  }));
}

function ownersOf(entity: Entity | undefined): string[] {
  return (entity?.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => lower(r.targetRef));
}
