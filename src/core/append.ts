/**
 * Appends every item of `items` to `target`, one push at a time. `target.push(...items)` passes each
 * item as an argument: past about 125,000 items Node's stack overflows ("Maximum call stack size
 * exceeded", exit 70), and a run's samples, a file's problems or a merge's missing cases reach that.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
