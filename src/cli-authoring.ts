import { Option, type Command } from 'commander';
import type { CommandAction } from './cli-action.js';
import { repeatableOption } from './cli-repeated.js';

/**
 * The commands that create, show and check prompt files: init, list, show, render, new, diff, lint.
 * Each action imports its command module lazily (cli.ts), so defining them loads nothing else.
 */
export function defineAuthoringCommands(program: Command, action: CommandAction, json: () => Option): void {
  program
    .command('init [dir]')
    .description('scaffold an example project (never overwrites a file)')
    .option('--blank', 'only .promptrc.yaml and .gitignore: no example prompt or suite')
    .option('--base-url <url>', "your server's OpenAI-compatible base URL (default: the simulator's, http://127.0.0.1:8000/v1)")
    .option('--model <name>', 'the model your server serves (default: sim-model)')
    .option('--nested', 'make the project even inside the folder of another project (refused by default)')
    .action(action(() => import('./commands/init.js'), (dir, o) => ({ dir: dir ?? '.', blank: Boolean(o.blank), baseUrl: o.baseUrl, model: o.model, nested: Boolean(o.nested) })));
  program
    .command('list')
    .description('list prompts, their versions and suites')
    .addOption(json())
    .action(action(() => import('./commands/list.js'), () => ({})));
  program
    .command('show <ref>')
    .description('show a prompt version, <id>[@version] (highest when no version is given)')
    .option('--released', 'print the version file as it was released, from the registry (restores a file git has no copy of)')
    .option('--registered', "print the version file as the registry holds it: a draft's registered content (restores a deleted draft's file), a released version's as released")
    .addOption(json())
    .action(action(() => import('./commands/show.js'), (ref, o) => ({ ref, ...(o.released ? { released: true } : {}), ...(o.registered ? { registered: true } : {}) })));
  program
    .command('render <ref>')
    .description('print the exact messages <id>@<version> would send')
    .addOption(repeatableOption('--var <name=value>', 'a variable value; repeat the flag for each: --var a=1 --var b=2'))
    .option('--vars-file <file>', 'a YAML file of variable values')
    .addOption(json())
    .action(action(() => import('./commands/render.js'), (ref, o) => ({ ref, var: o.var ?? [], varsFile: o.varsFile })));
  program
    .command('new <id>')
    .description('copy the highest version of a prompt (or <id>@<version>, the one named) to the next version (1.0.0 for a new prompt)')
    .addOption(new Option('--patch', 'bump the patch version (default)'))
    .addOption(new Option('--minor', 'bump the minor version').conflicts(['patch', 'major']))
    .addOption(new Option('--major', 'bump the major version').conflicts(['patch', 'minor']))
    .option('--description <text>', 'what changes in the new version, and why')
    .option('--author <who>', 'the author of the new version (default: the source version\'s author; for a new prompt, the actor)')
    .addOption(json())
    .action(
      action(() => import('./commands/new.js'), (id, o) => ({
        id,
        bump: o.major ? 'major' : o.minor ? 'minor' : 'patch',
        description: o.description,
        author: o.author,
      })),
    );
  program
    .command('diff <a> <b> [c]')
    .usage('[options] <id>@<a> <id>@<b>  (or <id> <a> <b>)')
    .description('unified diff of two versions: messages and settings')
    .addOption(json())
    .action(action(() => import('./commands/diff.js'), (a, b, c) => ({ refs: c === undefined ? [a, b] : [a, b, c] })));
  program
    .command('lint [paths...]')
    .description('validate prompts, eval sets and the config; errors exit 2')
    .option('--strict', 'treat warnings as errors')
    .option('--server', "exact token counts from the server's /tokenize for token budgets")
    .addOption(json())
    .action(action(() => import('./commands/lint.js'), (paths, o) => ({ paths: paths ?? [], strict: Boolean(o.strict), server: Boolean(o.server) })));
}
