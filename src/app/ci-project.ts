import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { BaseChoice } from '../core/ci/base-choice.js';
import { configDeletedError } from '../core/ci/base-errors.js';
import { InputError } from '../core/errors.js';
import { filesAtBase, resolveBaseRef } from '../infra/git-base.js';
import { CONFIG_FILE, nearestConfigFolder } from '../infra/project-config.js';
import { loadProject, type Project } from '../infra/project.js';
import type { AppContext } from './context.js';

/**
 * The project ci gates. When none is found from where ci runs and the base holds a .promptrc.yaml
 * there or above (where the branch left it), the change deleted it: ci says so
 * (`configDeletedError`), not "run promptctl init", which is for a folder that never was a project.
 */
export function loadCiProject(ctx: Pick<AppContext, 'cwd' | 'env' | 'optionNames'>, choice: BaseChoice): Project {
  try {
    return loadProject(ctx.cwd, { env: ctx.env, optionNames: ctx.optionNames });
  } catch (e) {
    // A project was found (its config is there or above): the error is about it, not a missing one.
    if (!(e instanceof InputError) || nearestConfigFolder(ctx.cwd) !== undefined) throw e;
    const gone = deletedConfig(ctx.cwd, choice);
    if (gone === undefined) throw e;
    throw configDeletedError(gone.base, gone.file);
  }
}

/** The nearest .promptrc.yaml the base holds in `cwd` or a folder above it within the repository (relative to `cwd`); undefined when none, or git cannot say. */
function deletedConfig(cwd: string, choice: BaseChoice): { base: string; file: string } | undefined {
  try {
    const base = resolveBaseRef(cwd, choice);
    // git's top folder is its real path: so is the one compared with it (a /tmp reached through a link).
    const depth = path.relative(base.top, realpathSync(cwd)).split(path.sep).filter(Boolean).length;
    const candidates = Array.from({ length: depth + 1 }, (_, i) => `${'../'.repeat(i)}${CONFIG_FILE}`);
    const found = filesAtBase(cwd, base, candidates);
    const file = candidates.find((f) => found.has(f));
    return file === undefined ? undefined : { base: base.ref, file };
  } catch {
    return undefined;
  }
}
