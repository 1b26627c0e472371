import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';

/**
 * The CI examples are copied by users as they are: each must parse, every promptctl command and
 * flag it runs must exist, and no workflow input may be pasted into a shell script (injection).
 */

const DIR = path.resolve(import.meta.dirname, '../../examples/ci');
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

/** `npx promptctl <cmd> [sub] args…` lines, with the command words and the flags used (whole tokens, `--x=v` as `--x`). */
function invocations(text: string): Array<{ line: string; command: string[]; flags: string[] }> {
  return [...text.matchAll(/npx promptctl ((?:[a-z]+ )*[a-z]+)?(.*)$/gm)].map((m) => {
    const words = (m[1] ?? '').split(' ').filter(Boolean);
    const command = words[0] === 'redteam' ? words.slice(0, 2) : words.slice(0, 1);
    const flags = m[0]
      .split(/\s+/)
      .filter((t) => t.startsWith('--'))
      .map((t) => t.split('=')[0]!);
    return { line: m[0], command, flags };
  });
}

/**
 * The long flags a command's `--help` defines: the first column of its option lines (commander
 * indents them by two spaces, and wraps descriptions deeper), as whole tokens. A substring check
 * would accept `--base` wherever only `--baseline` exists.
 */
function helpFlags(help: string): Set<string> {
  const flags = new Set<string>();
  for (const m of help.matchAll(/^ {2}(?:-[A-Za-z], )?(--[a-z][a-z-]*)(?=[ ,]|$)/gm)) flags.add(m[1]!);
  return flags;
}

describe('examples/ci', () => {
  it('has the GitHub and GitLab examples', () => {
    expect(files).toEqual(expect.arrayContaining(['github-actions.yml', 'github-release.yml', 'gitlab-ci.yml', 'github-actions-team.yml', 'github-release-team.yml', 'gitlab-ci-team.yml']));
  });

  it.each(files)('%s parses, and every promptctl command and flag it runs exists', async (file) => {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    expect(parseDocument(text).errors).toEqual([]);
    const calls = invocations(text);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      const help = await runCliInProcess([...call.command, '--help']);
      expect(help.code, `${call.line}\n${help.output}`).toBe(0);
      const defined = helpFlags(help.stdout);
      for (const flag of call.flags) expect(defined.has(flag), `${flag} in: ${call.line}\ndefined: ${[...defined].join(' ')}`).toBe(true);
    }
  });

  it('the team-registry variants shard the gate across 4 jobs and merge them in one job that needs them all', () => {
    const gh = parseDocument(readFileSync(path.join(DIR, 'github-actions-team.yml'), 'utf8')).toJS();
    expect(gh.jobs.shard.strategy.matrix.shard).toEqual([1, 2, 3, 4]);
    expect(gh.jobs.shard.strategy['fail-fast']).toBe(false);
    expect(JSON.stringify(gh.jobs.shard.steps)).toContain('npx promptctl ci --shard \\"$SHARD/4\\"');
    expect(gh.jobs.merge.needs).toBe('shard');
    expect(gh.jobs.merge.if).toMatch(/!cancelled\(\)/);
    expect(JSON.stringify(gh.jobs.merge.steps)).toContain('npx promptctl ci --merge --junit');
    // The registry comes from a secret, as an environment variable; no cache carries a registry file.
    expect(gh.env.PROMPTCTL_REGISTRY_URL).toMatch(/^\$\{\{ secrets\./);
    expect(JSON.stringify(gh)).not.toContain('actions/cache');

    const gl = parseDocument(readFileSync(path.join(DIR, 'gitlab-ci-team.yml'), 'utf8')).toJS();
    expect(gl['promptctl-shard'].parallel).toBe(4);
    expect(gl['promptctl-shard'].script.join('\n')).toContain('--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"');
    expect(gl['promptctl-merge'].needs).toEqual(['promptctl-shard']);
    expect(gl['promptctl-merge'].when).toBe('always');
    expect(gl['promptctl-merge'].script.join('\n')).toContain('--merge --junit');
    expect(gl['promptctl-merge'].artifacts.reports.junit).toBe('promptctl-junit.xml');
  });

  it("gitlab-ci-team.yml stands on its own, and tells a pipeline with stages of its own to add the two, not replace its list", () => {
    const text = readFileSync(path.join(DIR, 'gitlab-ci-team.yml'), 'utf8');
    const { stages, ...jobs } = parseDocument(text).toJS() as Record<string, { stage?: string }> & { stages: string[] };
    // Valid alone: every job's stage is declared.
    for (const [name, job] of Object.entries(jobs)) if (job.stage) expect(stages, name).toContain(job.stage);
    // The comment right above `stages:` says what to do when the file is added to a pipeline that has them.
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('stages:'));
    const above = lines.slice(0, at).reverse();
    const comment = above.slice(0, above.findIndex((l) => !l.startsWith('#'))).reverse().map((l) => l.replace(/^#\s?/, '')).join(' ');
    expect(comment).toMatch(/already has `stages:`, add promptctl-shards and promptctl-merge to that list/);
  });

  it('matches a flag as a whole token: --base is defined by ci, and not by eval, which has only --baseline', async () => {
    const ci = helpFlags((await runCliInProcess(['ci', '--help'])).stdout);
    const evalFlags = helpFlags((await runCliInProcess(['eval', '--help'])).stdout);
    expect(ci.has('--base') && ci.has('--baseline')).toBe(true);
    expect(evalFlags.has('--baseline')).toBe(true);
    expect(evalFlags.has('--base')).toBe(false);
    expect(invocations('npx promptctl eval x --base=main --baseline prod').map((c) => c.flags)).toEqual([['--base', '--baseline']]);
  });

  it('the release examples stop, rather than start a new registry, when none was restored', () => {
    const gh = parseDocument(readFileSync(path.join(DIR, 'github-release.yml'), 'utf8')).toJS();
    const steps = gh.jobs.deploy.steps as Array<{ id?: string; name?: string; if?: string; uses?: string }>;
    const restore = steps.findIndex((st) => st.uses?.startsWith('actions/cache/restore') && st.id === 'registry');
    const guard = steps.findIndex((st) => st.if === "steps.registry.outputs.cache-matched-key == '' && !inputs.first_release");
    const deploy = steps.findIndex((st) => st.name === 'Deploy');
    expect(restore).toBeGreaterThanOrEqual(0);
    expect(guard).toBeGreaterThan(restore);
    expect(deploy).toBeGreaterThan(guard);
    expect(gh.on.workflow_dispatch.inputs.first_release).toMatchObject({ type: 'boolean', default: false });

    // GitLab's guard line, run as the job's shell runs it.
    const gl = parseDocument(readFileSync(path.join(DIR, 'gitlab-ci.yml'), 'utf8')).toJS();
    const script = gl['promptctl-release'].script as string[];
    const line = script.find((l) => l.startsWith('test -f .promptctl/registry.db'))!;
    expect(script.indexOf(line)).toBeLessThan(script.findIndex((l) => l.includes('npx promptctl deploy')));
    const dir = mkdtempSync(path.join(tmpdir(), 'promptctl-guard-'));
    try {
      const run = (env: Record<string, string> = {}) => spawnSync('sh', ['-c', line], { cwd: dir, env: { PATH: process.env.PATH!, ...env } }).status;
      expect(run()).toBe(1);
      expect(run({ FIRST_RELEASE: 'true' })).toBe(0);
      mkdirSync(path.join(dir, '.promptctl'));
      writeFileSync(path.join(dir, '.promptctl', 'registry.db'), '');
      expect(run()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(files)('%s keeps the registry (raw outputs, the canary key) in no artifact anyone may download unless it says so', (file) => {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    const doc = parseDocument(text).toJS() as Record<string, unknown>;
    const keepsRegistry = (paths: unknown) => [paths].flat().join('\n').includes('.promptctl');
    if (file.startsWith('gitlab')) {
      for (const [name, job] of Object.entries(doc)) {
        const artifacts = (job as { artifacts?: { paths?: unknown; access?: string } } | null)?.artifacts;
        // GitLab can restrict it: members with the Developer role or above only.
        if (artifacts && keepsRegistry(artifacts.paths)) expect(artifacts.access, `${name} in ${file}`).toBe('developer');
      }
    } else {
      const steps = Object.values((doc.jobs ?? {}) as Record<string, { steps?: Array<{ uses?: string; with?: { path?: string } }> }>).flatMap((j) => j.steps ?? []);
      // Actions cannot: the file says so, and what to do in a public repository.
      if (steps.some((st) => st.uses?.startsWith('actions/upload-artifact') && keepsRegistry(st.with?.path))) expect(text.replace(/\n\s*# /g, ' ')).toContain('in a public repository anyone signed in to GitHub can');
    }
  });

  it.each(['github-release.yml', 'gitlab-ci.yml'])("%s measures latency against the target environment's version in the eval before its deploy", (file) => {
    // A deploy judges p95 only on an interleaved measurement (README, "Deploy gates"): the eval the
    // release job runs first is that measurement, against what the deploy replaces.
    const calls = invocations(readFileSync(path.join(DIR, file), 'utf8'));
    const deploy = calls.findIndex((c) => c.command[0] === 'deploy');
    const evaluation = calls.findIndex((c) => c.command[0] === 'eval');
    expect(evaluation).toBeGreaterThanOrEqual(0);
    expect(evaluation).toBeLessThan(deploy);
    expect(calls[evaluation]!.line).toContain('--baseline "$TARGET_ENV" --measure-latency');
    expect(calls[deploy]!.line).toContain('--env "$TARGET_ENV"');
  });

  it.each(files)('%s never pastes a workflow input or variable expression into a shell script', (file) => {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    for (const call of invocations(text)) expect(call.line).not.toMatch(/\$\{\{/);
  });
});
