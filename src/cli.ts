import { Command, CommanderError, Option } from 'commander';
import type { CommandContext, CommandResult, Output } from './commands/context.js';
import { EXAMPLES, examplesText } from './cli-examples.js';
import { asOptionError } from './cli-option-errors.js';
import { systemClock } from './infra/clock.js';

/**
 * Commander wiring only. Every command module is imported lazily inside its action, so
 * `promptctl --help` and `--version` load none of zod, yaml, ink, react, openai or better-sqlite3.
 */

export interface CliIo {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTTY: boolean;
  /** The terminal's width when stdout is one (process.stdout.columns). */
  stdoutColumns?: number;
  stdinIsTTY?: boolean;
  version: string;
  signal?: AbortSignal;
  /** Asks a yes/no question at the terminal (the binary reads stdin); absent, nothing is ever asked. */
  confirm?: (question: string) => Promise<boolean>;
}

type Loader = () => Promise<{ run: (ctx: CommandContext, raw: unknown) => Promise<CommandResult> }>;

export interface CliOutcome {
  exitCode: number;
  /** The error to report, if the command threw. */
  error?: unknown;
  json: boolean;
}

/** The commands and long flags commander knows, for completion scripts (one source: the definitions above). */
function commandTree(cmd: Command): { name: string; description: string; flags: Array<{ flag: string; description: string }>; commands: ReturnType<typeof commandTree>[] } {
  const flags = cmd.options.filter((o) => o.long && !o.hidden).map((o) => ({ flag: o.long!, description: o.description }));
  return { name: cmd.name(), description: cmd.description(), flags: [...flags, { flag: '--help', description: 'display help' }], commands: cmd.commands.map(commandTree) };
}

/** Every command's `--help` ends with its examples (src/cli-examples.ts). */
function addExamples(cmd: Command, path = ''): void {
  const lines = EXAMPLES[path];
  if (lines) cmd.addHelpText('after', examplesText(lines));
  for (const sub of cmd.commands) addExamples(sub, path ? `${path} ${sub.name()}` : sub.name());
}

export async function runCli(io: CliIo): Promise<CliOutcome> {
  let outcome: CliOutcome = { exitCode: 0, json: false };
  const program = new Command('promptctl')
    .description('Prompt registry and eval runner for vLLM: versioned prompts, suites, gated deploys, an audit trail.')
    .version(io.version, '-V, --version')
    .option('-C, --cwd <dir>', 'run as if started in <dir> (the project is found upwards from there)')
    .option('--no-color', 'plain text without colours')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  const action = (load: Loader, toRaw: (...args: any[]) => Record<string, unknown>) =>
    async (...args: any[]) => {
      const cmd = args[args.length - 1] as Command;
      const globals = program.opts<{ cwd?: string; color: boolean }>();
      const local = cmd.opts<{ json?: boolean }>();
      const json = Boolean(local.json);
      const out: Output = {
        json,
        color: globals.color !== false && io.stdoutIsTTY && !io.env.NO_COLOR,
        tty: io.stdoutIsTTY && !io.env.CI,
        width: io.stdoutIsTTY ? io.stdoutColumns : undefined,
        line: (t) => io.stdout(`${t}\n`),
        error: (t) => io.stderr(`${t}\n`),
      };
      const ctx: CommandContext = { cwd: globals.cwd ?? io.cwd, env: io.env, out, clock: systemClock, signal: io.signal, confirm: io.confirm, interactive: Boolean(io.stdinIsTTY && io.stdoutIsTTY && !io.env.CI) };
      const raw = toRaw(...args);
      try {
        const mod = await load();
        const result = await mod.run(ctx, raw);
        if (json) io.stdout(`${JSON.stringify(result.data, null, 2)}\n`);
        else for (const line of result.text()) out.line(line);
        outcome = { exitCode: result.exitCode ?? 0, json };
      } catch (error) {
        outcome = { exitCode: -1, error: await asOptionError(error, raw, cmd), json };
      }
    };
  const json = () => new Option('--json', 'print JSON for machines');

  program
    .command('init [dir]')
    .description('scaffold an example project (never overwrites a file)')
    .option('--blank', 'only .promptrc.yaml and .gitignore: no example prompt or suite')
    .option('--base-url <url>', "your server's OpenAI-compatible base URL (default: the simulator's, http://127.0.0.1:8000/v1)")
    .option('--model <name>', 'the model your server serves (default: sim-model)')
    .action(action(() => import('./commands/init.js'), (dir, o) => ({ dir: dir ?? '.', blank: Boolean(o.blank), baseUrl: o.baseUrl, model: o.model })));
  program
    .command('list')
    .description('list prompts, their versions and suites')
    .addOption(json())
    .action(action(() => import('./commands/list.js'), () => ({})));
  program
    .command('show <ref>')
    .description('show a prompt version, <id>[@version] (highest when no version is given)')
    .addOption(json())
    .action(action(() => import('./commands/show.js'), (ref) => ({ ref })));
  program
    .command('render <ref>')
    .description('print the exact messages <id>@<version> would send')
    .option('--var <name=value...>', 'a variable value (repeatable)')
    .option('--vars-file <file>', 'a YAML file of variable values')
    .addOption(json())
    .action(action(() => import('./commands/render.js'), (ref, o) => ({ ref, var: o.var ?? [], varsFile: o.varsFile })));
  program
    .command('new <id>')
    .description('copy the highest version of a prompt to the next version (1.0.0 for a new prompt)')
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
    .command('diff <id> <v1> <v2>')
    .description('unified diff of two versions: messages and settings')
    .addOption(json())
    .action(action(() => import('./commands/diff.js'), (id, a, b) => ({ id, a, b })));
  program
    .command('lint [paths...]')
    .description('validate prompts, eval sets and the config; errors exit 2')
    .option('--strict', 'treat warnings as errors')
    .option('--server', "exact token counts from the server's /tokenize for token budgets")
    .addOption(json())
    .action(action(() => import('./commands/lint.js'), (paths, o) => ({ paths: paths ?? [], strict: Boolean(o.strict), server: Boolean(o.server) })));

  program
    .command('eval [refs...]')
    .description('run the suites of <id>[@version] (default: the highest version of every prompt) against the server')
    .option('--suite <name...>', 'only these suites')
    .option('--baseline <env>', 'compare with the version deployed in <env>')
    .option('--repeat <n>', 'samples per case (overrides the suites)')
    .option('--concurrency <n>', 'requests in flight (default: server.concurrency)')
    .option('--no-cache', 'send every request, ignoring cached answers')
    .option('--resume', 'continue the last unfinished run of the same inputs')
    .option('--filter-failing', 'only the cases that did not pass last time')
    .option('--case <id...>', 'only these cases (ids or globs such as refund-*); a partial run, never a tested mark')
    .option('--tag <tag...>', 'only cases with one of these tags (attack cases: their category); a partial run')
    .option('--sample <n>', 'at most n cases per suite, stratified by tag, the same ones every time; a partial run')
    .option('--junit <file>', 'write JUnit XML')
    .option('--summary <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('--shard <i/n>', 'record shard i of n of the cases into the team registry (a CI matrix job); --merge gives the verdict')
    .option('--merge', 'judge the shards of this invocation together: verdict, tested marks, JUnit and summary')
    .option('--invocation <id>', 'the id the shards and the merge share (default: the CI run, from GITHUB_RUN_ID or CI_PIPELINE_ID)')
    .option('--measure-latency', 'with --baseline: measure p95 latency against the deployed version, both interleaved against one server, cache bypassed')
    .option('--model <name...>', 'the model matrix: run every version on each model (default: server.models); a version that pins model.model runs on its pin')
    .option('--no-n', 'one request per sample, never n choices from one request (n-sampling is on for cases with several samples)')
    .addOption(json())
    .action(
      action(() => import('./commands/eval.js'), (refs, o) => ({
        model: o.model ?? [],
        n: o.n !== false,
        refs: refs ?? [],
        suite: o.suite ?? [],
        baseline: o.baseline,
        repeat: o.repeat,
        concurrency: o.concurrency,
        cache: o.cache !== false,
        resume: Boolean(o.resume),
        filterFailing: Boolean(o.filterFailing),
        case: o.case ?? [],
        tag: o.tag ?? [],
        sample: o.sample,
        junit: o.junit,
        summary: o.summary,
        shard: o.shard,
        merge: Boolean(o.merge),
        invocation: o.invocation,
        measureLatency: Boolean(o.measureLatency),
        json: Boolean(o.json),
      })),
    );
  program
    .command('ci')
    .description('the pull-request gate: lint what changed, evaluate new versions, compare with the deployed baseline')
    .option('--base <ref>', 'git ref to compare with (default: the PR target branch, else main)')
    .option('--baseline <env>', 'environment whose deployed versions are the baseline (default: the last one)')
    .option('--junit <file>', 'write JUnit XML')
    .option('--summary <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('--html <file>', 'write a self-contained HTML report of the evaluation (to upload as a CI artifact)')
    .option('--shard <i/n>', 'evaluate shard i of n of the cases into the team registry (a CI matrix job); ci --merge gives the verdict')
    .option('--merge', 'judge the shards of this CI run together: the verdict, tested marks, JUnit and summary')
    .option('--invocation <id>', 'the id the shards and the merge share (default: the CI run, from GITHUB_RUN_ID or CI_PIPELINE_ID)')
    .option('--measure-latency', 'measure p95 latency of the candidates against the deployed baseline, interleaved, cache bypassed')
    .addOption(json())
    .action(
      action(() => import('./commands/ci.js'), (o) => ({
        base: o.base,
        baseline: o.baseline,
        junit: o.junit,
        summary: o.summary,
        html: o.html,
        shard: o.shard,
        merge: Boolean(o.merge),
        invocation: o.invocation,
        measureLatency: Boolean(o.measureLatency),
      })),
    );
  program
    .command('power <suite>')
    .description("how many cases <prompt>/<suite> needs for its regression check to catch a drop of twice each environment's limit 80% of the time, and the smallest drop it catches now")
    .option('--env <env>', 'one environment')
    .addOption(json())
    .action(action(() => import('./commands/power.js'), (suite, o) => ({ suite, env: o.env })));
  program
    .command('redteam')
    .description('adversarial suites from the shipped attack packs')
    .command('generate <id>')
    .description('write evalsets/<id>/redteam.yaml from attack packs, to review and commit')
    .option('--packs <names...>', 'packs or categories, separated by commas or spaces (default: all)')
    .option('--inject-into <variable>', 'the variable that carries the attack (default: the first untrusted one)')
    .option('--name <suite>', 'suite file name (default: redteam)')
    .option('--leak-min-chars <n>', "verbatim system-prompt span that counts as a leak (default: the prompt's adversarial suite's, else 40)")
    .option('--out <file.jsonl>', 'write the cases to this JSONL file; the suite reads them with cases_from')
    .addOption(json())
    .action(
      action(() => import('./commands/redteam.js'), (id, o) => ({ id, packs: o.packs ?? ['all'], injectInto: o.injectInto, name: o.name ?? 'redteam', leakMinChars: o.leakMinChars, out: o.out })),
    );
  program
    .command('compare <a> <b>')
    .description('outputs and verdicts of <id>@<a> and <id>@<b> side by side, changed verdicts first, from stored runs (evaluates only what has none); <id>@<version>:<model> on either side compares models')
    .option('--suite <name...>', 'only these suites')
    .option('--no-eval', 'never evaluate: exit 2 when a version lacks a stored run of a suite')
    .addOption(json())
    .action(action(() => import('./commands/compare.js'), (a, b, o) => ({ a, b, suite: o.suite ?? [], eval: o.eval !== false })));
  program
    .command('report [refs...]')
    .description('write one self-contained HTML report of a run or invocation (default: the latest), or of <id>@<a> <id>@<b> compared')
    .option('-o, --output <file>', 'the HTML file to write', 'report.html')
    .option('--open', 'open the report with the system browser')
    .addOption(json())
    .action(action(() => import('./commands/report.js'), (refs, o) => ({ refs: refs ?? [], output: o.output, open: Boolean(o.open) })));
  program
    .command('deploy <ref>')
    .description('deploy <id>@<version> to an environment, behind its gates')
    .requiredOption('--env <env>', 'target environment')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .option('--actor <who>', 'who (default: PROMPTCTL_ACTOR, else the CI user, else git user.email, else the OS user)')
    .option('--dry-run', 'print the decision and every check; write nothing')
    .option('--force', 'override failed gates where the policy allows (needs --reason)')
    .option('--yes', 'skip the confirmation a change to the last environment asks for at a terminal')
    .addOption(json())
    .action(
      action(() => import('./commands/deploy.js'), (ref, o) => ({ ref, env: o.env, reason: o.reason, actor: o.actor, dryRun: Boolean(o.dryRun), force: Boolean(o.force), yes: Boolean(o.yes) })),
    );
  program
    .command('promote <id>')
    .description('deploy the version active in --from to --to, through the same gates')
    .requiredOption('--from <env>', 'source environment')
    .requiredOption('--to <env>', 'target environment')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .option('--actor <who>', 'who (default: PROMPTCTL_ACTOR, else the CI user, else git user.email, else the OS user)')
    .option('--dry-run', 'print the decision and every check; write nothing')
    .option('--yes', 'skip the confirmation a change to the last environment asks for at a terminal')
    .addOption(json())
    .action(
      action(() => import('./commands/promote.js'), (id, o) => ({ id, from: o.from, to: o.to, reason: o.reason, actor: o.actor, dryRun: Boolean(o.dryRun), yes: Boolean(o.yes) })),
    );
  program
    .command('rollback <id>')
    .description('return an environment to the version active before the current one')
    .requiredOption('--env <env>', 'environment')
    .option('--to <version>', 'walk back until this version is active')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .option('--actor <who>', 'who (default: PROMPTCTL_ACTOR, else the CI user, else git user.email, else the OS user)')
    .option('--dry-run', 'print what would happen; write nothing')
    .option('--yes', 'skip the confirmation a change to the last environment asks for at a terminal')
    .addOption(json())
    .action(
      action(() => import('./commands/rollback.js'), (id, o) => ({ id, env: o.env, to: o.to, reason: o.reason, actor: o.actor, dryRun: Boolean(o.dryRun), yes: Boolean(o.yes) })),
    );
  program
    .command('config')
    .description('print the gates each environment applies, defaults included, and where each value comes from')
    .option('--effective', 'every gate in effect, with its value and source (the default view)')
    .addOption(json())
    .action(action(() => import('./commands/config.js'), (o) => ({ effective: o.effective ?? true })));
  program
    .command('status')
    .description('every prompt x environment: active version, tested, when and by whom')
    .option('--env <env>', 'one environment')
    .addOption(json())
    .action(action(() => import('./commands/status.js'), (o) => ({ env: o.env })));
  program
    .command('history [id]')
    .description('the audit trail of deploys and rollbacks')
    .option('--env <env>', 'one environment')
    .option('--limit <n>', 'the newest <n> events')
    .addOption(json())
    .action(action(() => import('./commands/history.js'), (id, o) => ({ id, env: o.env, limit: o.limit })));
  const audit = program.command('audit').description('audit log checks');
  audit
    .command('verify')
    .description('recompute the hash chain of the audit log and check what it points at; exit 1 at the first break')
    .option('--since <head>', 'also prove the log extends a head printed earlier by `audit head` (<seq>:<hash>)')
    .addOption(json())
    .action(action(() => import('./commands/audit.js'), (o) => ({ since: o.since })));
  audit
    .command('head')
    .description('print the current head of the audit log (<seq>:<hash>), to keep outside the registry')
    .addOption(json())
    .action(action(() => import('./commands/audit-head.js'), () => ({})));
  program
    .command('keys')
    .description('signing keys for the audit log')
    .command('generate')
    .description('print a new Ed25519 key pair: the public key to pin in .promptrc.yaml, the private one for the signing role')
    .addOption(json())
    .action(action(() => import('./commands/keys.js'), () => ({})));
  const registry = program.command('registry').description('the registry itself: schema, counts, moving to PostgreSQL, roles');
  registry
    .command('migrate')
    .description('create or upgrade the registry schema (on PostgreSQL: run once, as the schema owner)')
    .addOption(json())
    .action(action(async () => ({ run: (await import('./commands/registry.js')).runMigrate }), () => ({})));
  registry
    .command('info')
    .description('the backend, its location (no password), schema version and counts')
    .addOption(json())
    .action(action(async () => ({ run: (await import('./commands/registry.js')).runInfo }), () => ({})));
  registry
    .command('push')
    .description('copy the local SQLite registry (versions, runs, samples, cached answers, audit log) into a PostgreSQL one; safe to run again')
    .option('--to <url>', 'the PostgreSQL registry, postgres://user@host:5432/db without a password (default: PROMPTCTL_REGISTRY_URL or registry.url)')
    .option('--from <file>', 'another local registry file to push (default: registry.path)')
    .option('--skip-events', 'leave the audit log out (a second local registry: its runs and samples only)')
    .addOption(json())
    .action(action(() => import('./commands/registry-push.js'), (o) => ({ to: o.to, from: o.from, skipEvents: Boolean(o.skipEvents) })));
  registry
    .command('roles')
    .description('print the SQL of the least-privilege PostgreSQL roles: reader (applications), evaluator (CI), deployer (release managers)')
    .option('--prefix <prefix>', 'prefix of the role names (role names are global to the server)', 'promptctl_')
    .addOption(json())
    .action(action(async () => ({ run: (await import('./commands/registry.js')).runRoles }), (o) => ({ prefix: o.prefix })));
  program
    .command('get <id>')
    .description('print the active version of a prompt in an environment')
    .requiredOption('--env <env>', 'environment')
    .addOption(json())
    .action(action(() => import('./commands/get.js'), (id, o) => ({ id, env: o.env })));
  program
    .command('export')
    .description('write every prompt active in an environment as one JSON bundle')
    .requiredOption('--env <env>', 'environment')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .addOption(json())
    .action(action(async () => ({ run: (await import('./commands/get.js')).runExport }), (o) => ({ env: o.env, output: o.output })));

  program
    .command('completion <shell>')
    .description('print a shell completion script: bash, zsh or fish')
    .action(action(() => import('./commands/completion.js'), (shell) => ({ shell, tree: commandTree(program) })));

  addExamples(program);

  try {
    await program.parseAsync(io.argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes are exit 2 (bad usage).
      return { exitCode: e.exitCode === 0 ? 0 : 2, json: false };
    }
    throw e;
  }
  return outcome;
}
