/** @internal A short description of any value, for error messages (`null`, `undefined`, a class name, a type). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
