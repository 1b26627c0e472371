import { UnavailableError } from './errors.js';

/**
 * The registered content of a version, parsed. promptctl only registers canonical JSON, so text
 * that does not parse was damaged in the registry: exit 3 naming the version, never a crash, and
 * the content is not served.
 */
export function parseRegisteredContent<T>(record: { promptId: string; version: string; content: string }): T {
  try {
    return JSON.parse(record.content) as T;
  } catch (err) {
    throw new UnavailableError({
      message: `the registered content of ${record.promptId}@${record.version} is damaged: it is not JSON`,
      why: `the registry only stores canonical JSON, so its row was changed or damaged outside promptctl (${(err as Error).message}).`,
      hint: 'restore the registry from a backup, then check it with `promptctl audit verify`; the version file in git holds the content it should have.',
      cause: err,
    });
  }
}
