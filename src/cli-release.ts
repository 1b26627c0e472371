import type { Command, Option } from 'commander';
import type { CommandAction } from './cli-action.js';

/**
 * The commands that move versions between environments and keep the registry: deploy, promote,
 * rollback, config, status, history, audit, keys, registry, get, export.
 * Each action imports its command module lazily (cli.ts), so defining them loads nothing else.
 */
export function defineReleaseCommands(program: Command, action: CommandAction, json: () => Option): void {
  program
    .command('deploy <ref>')
    .description('deploy <id>@<version> to an environment, behind its gates')
    .requiredOption('--env <env>', 'target environment')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .option('--actor <who>', 'who (default: PROMPTCTL_ACTOR, else the CI user, else git user.email, else the OS user)')
    .option('--dry-run', 'print the decision and every check; write nothing')
    .option('--force', 'override failed gates where the policy allows (needs --reason)')
    .option('--if-active <version>', 'change it only while this version is active there (`none`: nothing is); else exit 1, nothing written')
    .option('--yes', 'skip the confirmation a change to the last environment asks for at a terminal')
    .addOption(json())
    .action(
      action(() => import('./commands/deploy.js'), (ref, o) => ({ ref, env: o.env, reason: o.reason, actor: o.actor, dryRun: Boolean(o.dryRun), force: Boolean(o.force), yes: Boolean(o.yes), ifActive: o.ifActive })),
    );
  program
    .command('promote <id>')
    .description('deploy the version active in --from to --to, through the same gates')
    .requiredOption('--from <env>', 'source environment')
    .requiredOption('--to <env>', 'target environment')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .option('--actor <who>', 'who (default: PROMPTCTL_ACTOR, else the CI user, else git user.email, else the OS user)')
    .option('--dry-run', 'print the decision and every check; write nothing')
    .option('--if-active <version>', 'change it only while this version is active in --to (`none`: nothing is); else exit 1, nothing written')
    .option('--yes', 'skip the confirmation a change to the last environment asks for at a terminal')
    .addOption(json())
    .action(
      action(() => import('./commands/promote.js'), (id, o) => ({ id, from: o.from, to: o.to, reason: o.reason, actor: o.actor, dryRun: Boolean(o.dryRun), yes: Boolean(o.yes), ifActive: o.ifActive })),
    );
  program
    .command('rollback <id>')
    .description('return an environment to the version active before the current one')
    .requiredOption('--env <env>', 'environment')
    .option('--to <version>', 'walk back until this version is active')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .option('--actor <who>', 'who (default: PROMPTCTL_ACTOR, else the CI user, else git user.email, else the OS user)')
    .option('--dry-run', 'print what would happen; write nothing')
    .option('--if-active <version>', 'change it only while this version is active there (`none`: nothing is); else exit 1, nothing written')
    .option('--yes', 'skip the confirmation a change to the last environment asks for at a terminal')
    .addOption(json())
    .action(
      action(() => import('./commands/rollback.js'), (id, o) => ({ id, env: o.env, to: o.to, reason: o.reason, actor: o.actor, dryRun: Boolean(o.dryRun), yes: Boolean(o.yes), ifActive: o.ifActive })),
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
    .option('--since <when>', 'only events from then on: an age (7d, 12h), a date (2026-11-01, UTC) or a date and time with its zone')
    .option('--action <action...>', 'only these changes: deploy, rollback, override')
    .option('--limit <n>', 'the newest <n> events (after the filters)')
    .addOption(json())
    .action(action(() => import('./commands/history.js'), (id, o) => ({ id, env: o.env, limit: o.limit, since: o.since, action: o.action })));
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
    .command('prune-cache')
    .description('remove cached model and judge answers (runs keep their samples; the next eval asks the server again)')
    .option('--older-than <age>', 'answers cached longer ago than this: 90d, 12h, 2w (s, m, h, d, w)')
    .option('--all', 'every cached answer')
    .option('--dry-run', 'count what would be removed; remove nothing')
    .addOption(json())
    .action(action(async () => ({ run: (await import('./commands/registry.js')).runPruneCache }), (o) => ({ olderThan: o.olderThan, all: Boolean(o.all), dryRun: Boolean(o.dryRun) })));
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
    .option('-o, --output <file>', 'write to a file instead of stdout (- is stdout)')
    .addOption(json())
    .action(action(async () => ({ run: (await import('./commands/get.js')).runExport }), (o) => ({ env: o.env, output: o.output })));
}
