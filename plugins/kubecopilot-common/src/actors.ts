/**
 * Whether two actor refs (user entity refs like `user:default/alice`, or
 * service subjects) name the same person or service. Refs compare
 * case-insensitively, as the catalog does. The one check behind "a second
 * person must approve": the backend enforces it, the frontend explains it.
 *
 * @public
 */
export function isSameActor(
  a: string | null | undefined,
  b: string | null | undefined,
): boolean {
  return (
    !!a && !!b && a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US')
  );
}
