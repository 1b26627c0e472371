import { UnavailableError } from '../../../core/errors.js';

/**
 * SQLSTATE class 22 (data exception: a value the column's type cannot hold, such as a NUL in text
 * or a number out of range) and class 23 (a key, reference, NOT NULL or CHECK rule broken): the
 * server refused the data promptctl sent, not the connection. The statement and its transaction
 * were rolled back. Every value promptctl writes is meant to fit the schema, so the way on is a
 * report (with the value's place when the server names it), not the server log or TLS settings.
 */
export function isRefusedValue(code: string | undefined): boolean {
  return code !== undefined && /^2[23][0-9A-Z]{3}$/.test(code);
}

export function refusedValueFault(err: unknown, code: string, detail: string, ctx: { where: string; doing: string }): UnavailableError {
  const { table, column } = err as { table?: unknown; column?: unknown };
  const place = [typeof column === 'string' && `column ${column}`, typeof table === 'string' && `table ${table}`].filter(Boolean).join(' of ');
  const rule = code.startsWith('22') ? 'the value does not fit the type its column has in the schema' : 'the row breaks a rule of the schema (a key, a reference, NOT NULL or a check)';
  const pushing = ctx.doing === 'pushing';
  return new UnavailableError({
    message: `the PostgreSQL registry at ${ctx.where} refused a value promptctl sent while ${ctx.doing}${place ? ` (${place})` : ''}`,
    why: `${detail} (${code}): ${rule}; the statement and its transaction were rolled back, so nothing of it was written`,
    hint: pushing
      ? 'the value comes from a row of the local registry, copied as it is: report this message as a promptctl bug (every value promptctl records should fit the team schema); what earlier batches pushed stays, and a later push copies only what is missing'
      : 'report this message as a promptctl bug (every value promptctl writes should fit the schema; `promptctl --version` and the server version help); an interrupted `eval` goes on with `promptctl eval --resume`, which sends only the samples not recorded',
  });
}
