import { InputError } from '../core/errors.js';
import { invocationOf, parseShard, type Shard } from '../core/eval/shard.js';
import type { Project } from '../infra/project.js';
import { projectRegistryTarget } from '../infra/registry-path.js';
import { optionName, optionSet, optionWithValue, type OptionNames } from '../core/option-names.js';
import type { Env } from './context.js';

/**
 * `--shard i/n`, `--merge` and `--invocation`, checked before anything runs: a shard records its
 * part of the invocation's cases, the merge judges them. Both need a registry every CI job shares.
 */

export type Sharding = { mode: 'shard'; shard: Shard; invocation: string } | { mode: 'merge'; invocation: string };

export interface ShardingFlags {
  shard?: string;
  merge?: boolean;
  invocation?: string;
  /** The report files asked for, by option (`junit`, `summary`, `html`): the merge writes them, never a shard. */
  reportFiles?: Record<string, string | undefined>;
}

export function shardingOf(project: Project, flags: ShardingFlags, { env, optionNames }: { env: Env; optionNames: OptionNames }): Sharding | undefined {
  const [shardOption, mergeOption] = [optionName(optionNames, 'shard'), optionName(optionNames, 'merge')];
  const keys = optionNames === 'keys';
  const mergeOnce = optionSet(optionNames, 'merge');
  if (flags.shard !== undefined && flags.merge) {
    throw new InputError({
      message: `${shardOption} and ${mergeOption} cannot be used together`,
      hint: `run each shard job with ${optionWithValue(optionNames, 'shard', 'i/n')}, then one job with ${mergeOnce}`,
    });
  }
  if (flags.shard === undefined && !flags.merge) {
    if (flags.invocation !== undefined) {
      throw new InputError({
        message: `${optionName(optionNames, 'invocation')} is used only with ${shardOption} or ${mergeOption}`,
        hint: `pass ${optionWithValue(optionNames, 'shard', 'i/n')} in each shard job, or ${mergeOnce} in the job that judges them`,
      });
    }
    return undefined;
  }
  const flag = flags.merge ? mergeOption : shardOption;
  const shard = flags.shard !== undefined ? parseShard(flags.shard, optionNames) : undefined;
  if (projectRegistryTarget(project, env).backend === 'sqlite') {
    throw new InputError({
      message: `${flag} needs a shared registry, and this project uses a SQLite file (${project.config.registry.path})`,
      why: 'the shard jobs of a CI run record into one registry, and the merge job reads what all of them recorded; each job\'s SQLite file is its own',
      hint: 'point every job at the team registry: set PROMPTCTL_REGISTRY_URL (or registry.url in .promptrc.yaml) to your PostgreSQL; see "Team registry on PostgreSQL" in the README. Without one, run the eval unsharded',
    });
  }
  if (shard) {
    const key = Object.keys(flags.reportFiles ?? {}).find((k) => flags.reportFiles![k] !== undefined);
    const file = key === undefined ? undefined : optionName(optionNames, key);
    if (file) throw new InputError({ message: `${file} is written by the merge, not by a shard`, why: `a shard holds only its part of the cases; the verdict, JUnit and summary are computed once, by ${mergeOnce}`, hint: `pass ${file} to the merge job${keys ? '' : ' (promptctl ci --merge)'} instead` });
  }
  const invocation = invocationOf(flags.invocation, env, flag, optionNames);
  return shard ? { mode: 'shard', shard, invocation } : { mode: 'merge', invocation };
}
