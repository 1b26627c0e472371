import { InputError } from '../../../core/errors.js';
import { settingInUrl } from './url-parts.js';

/**
 * A server setting the registry URL gives the session (`options=-c name=value`, or a parameter pg
 * sends at startup such as `statement_timeout=`) that PostgreSQL refuses as the connection starts: a
 * value the setting does not take (22023, `invalid value for parameter "lock_timeout": "ten"`) or a
 * name it has no setting for (42704, a misspelt `statment_timeout`). The server refuses the whole
 * connection. That is the URL's typo, bad input (exit 2) naming the setting: not a value promptctl
 * sent (refused-value.ts, "report a bug") nor a server problem for its log.
 */

const INVALID_VALUE = '22023';
const UNDEFINED_OBJECT = '42704';

export function urlSettingFault(
  err: unknown,
  code: string | undefined,
  raw: string,
  detail: string,
  ctx: { where: string; doing: string; reconnecting?: true; urlHint: string },
): InputError | undefined {
  if (code !== INVALID_VALUE && code !== UNDEFINED_OBJECT) return undefined;
  // Only the connection's start: later, promptctl's own statements set no setting the user wrote.
  if (ctx.doing !== 'connecting' && !ctx.reconnecting) return undefined;
  const name = /parameter "([^"]+)"/.exec(raw)?.[1];
  const place = name === undefined ? undefined : settingInUrl(ctx.where, name);
  if (name === undefined || place === undefined) return undefined;
  const inUrl = place === 'options' ? `the \`options\` parameter (-c ${name}=…)` : `the ${name}= parameter`;
  const serverHint = (err as { hint?: unknown }).hint;
  const said = typeof serverHint === 'string' && serverHint ? ` (the server says: ${serverHint})` : '';
  const unknown = code === UNDEFINED_OBJECT;
  return new InputError({
    message: unknown
      ? `the registry URL sets ${name} in ${inUrl}, and PostgreSQL has no setting of that name`
      : `the registry URL sets ${name} in ${inUrl} to a value PostgreSQL refuses`,
    why: `${detail} (${code}): the server refuses the whole connection when a setting given at its start is wrong, so the registry at ${ctx.where} was not reached`,
    hint: unknown
      ? `correct the setting's name in ${ctx.urlHint} (e.g. options=-c%20statement_timeout%3D60000; \`SHOW ALL\` in psql lists them), or remove it`
      : place === 'parameter'
        ? // pg sends such a parameter as a number of milliseconds (a unit makes it NaN).
          `write ${name}= as a whole number of milliseconds in ${ctx.urlHint}${said}, e.g. ${name}=10000, or remove it`
        : `give ${name} a value it takes in ${ctx.urlHint}${said}${/_timeout$/.test(name) ? `, e.g. -c ${name}=10s (a number and a unit: ms, s, min, h)` : ''}, or remove it`,
  });
}
