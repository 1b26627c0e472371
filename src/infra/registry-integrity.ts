import { existsSync } from 'node:fs';
import { UnavailableError } from '../core/errors.js';
import { checkRegistryPath, type RegistryProject } from './registry-path.js';
import { recoverHint } from './registry/sqlite-faults.js';
import { integrityProblems, problemsFound } from './registry/sqlite-open.js';

/**
 * For `audit verify`: SQLite's full integrity_check of the registry file, before the hash chain is
 * trusted. A damaged file is exit 3 naming what SQLite found; no file is left to the caller.
 */
export function requireRegistryIntegrity(project: RegistryProject): void {
  const file = checkRegistryPath(project);
  if (!existsSync(file)) return;
  const problems = integrityProblems(file, 'integrity_check');
  if (!problems.length) return;
  throw new UnavailableError({
    message: `the registry at ${file} is damaged: ${problemsFound('integrity_check', problems)}`,
    why: `${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}. The audit log's verdict cannot be trusted on a damaged file.`,
    hint: recoverHint(file),
  });
}
