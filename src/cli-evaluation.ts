import type { Command, Option } from 'commander';
import type { CommandAction } from './cli-action.js';

/**
 * The commands that evaluate versions and report on them: eval, ci, power, redteam, compare, report.
 * Each action imports its command module lazily (cli.ts), so defining them loads nothing else.
 */
export function defineEvaluationCommands(program: Command, action: CommandAction, json: () => Option): void {
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
    .option('--case <id...>', 'only these cases (ids or globs such as refund-*); a partial run, never a tested mark, unless it keeps every case')
    .option('--tag <tag...>', 'only cases with one of these tags (attack cases: their category); a partial run, unless it keeps every case')
    .option('--sample <n>', 'at most n cases per suite, stratified by tag, the same ones every time; a partial run below the suite\'s size')
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
    // Optional for commander, required by the command: an id --packs took is then told as such (commands/redteam.ts).
    .command('generate [id]')
    .usage('[options] <id>')
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
    // Optional for commander, required by the command: versions --suite took are then told as such (commands/compare.ts).
    .command('compare [a] [b]')
    .usage('[options] <a> <b>')
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
}
