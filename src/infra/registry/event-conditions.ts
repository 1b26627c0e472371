import type { EventFilter } from './records.js';

/**
 * The WHERE conditions of an event listing, one rule for SQLite and PostgreSQL. `bind` keeps a
 * value among the statement's parameters and returns its placeholder (`?`, or `$n`).
 */
export function eventConditions(filter: EventFilter, bind: (value: unknown) => string): string[] {
  const where: string[] = [];
  if (filter.promptId !== undefined) where.push(`prompt_id = ${bind(filter.promptId)}`);
  if (filter.env !== undefined) where.push(`env = ${bind(filter.env)}`);
  // Only events that changed an environment: not tested marks or supersessions (env '').
  else if (filter.environments === true) where.push(`env <> ''`);
  if (filter.version !== undefined) where.push(`version = ${bind(filter.version)}`);
  if (filter.since !== undefined) where.push(`at >= ${bind(filter.since)}`);
  // No action asked for: no event (an empty IN list is not SQL).
  if (filter.actions !== undefined) where.push(filter.actions.length ? `action IN (${filter.actions.map(bind).join(', ')})` : '1 = 0');
  return where;
}

/** eventConditions as a statement's WHERE clause: empty when the filter keeps every event. */
export function eventWhere(filter: EventFilter, bind: (value: unknown) => string): string {
  const where = eventConditions(filter, bind);
  return where.length ? `WHERE ${where.join(' AND ')}` : '';
}
