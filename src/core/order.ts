/**
 * Orders strings by UTF-16 code units, as `<` does: the same order in every locale. For the
 * strings sorted with it (ISO timestamps, slugs) it agrees with `localeCompare`, whose first call
 * builds ICU's collator, several milliseconds of a short command such as `deploy --dry-run`.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
