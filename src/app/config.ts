import path from 'node:path';
import { z } from 'zod';
import { effectiveGates, type EnvironmentGates } from '../core/effective-gates.js';
import { InputError } from '../core/errors.js';
import { CONFIG_FILE, findProjectRoot, loadConfig } from '../infra/project-config.js';
import { readYaml } from '../infra/yaml-file.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';

/**
 * `promptctl config --effective`: the gates each environment applies, with every default filled
 * in and where each value comes from, so a limit the file does not show (staging's leak, drop and
 * latency limits) is visible before a deploy meets it. Reads the config only.
 */

export const ConfigOptions = z.object({ effective: z.boolean().default(true) });

/** What `config --effective --json` prints. */
export interface EffectiveConfig {
  file: string;
  environments: EnvironmentGates[];
}

export async function effectiveConfig(opts: AppOptions & z.input<typeof ConfigOptions>): Promise<EffectiveConfig> {
  parseOptions('effectiveConfig', ConfigOptions, opts);
  const ctx = appContext(opts);
  const root = findProjectRoot(ctx.cwd, ctx.optionNames);
  const loaded = loadConfig(root);
  if (!loaded.config) {
    throw new InputError({ message: `${CONFIG_FILE} is not valid`, problems: loaded.problems, hint: `fix the fields named above in ${path.join(root, CONFIG_FILE)}.` });
  }
  const written = readYaml(path.join(root, CONFIG_FILE), CONFIG_FILE).data as { environments?: unknown } | undefined;
  return { file: path.join(root, CONFIG_FILE), environments: effectiveGates(loaded.config.environments, written?.environments) };
}
