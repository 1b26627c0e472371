import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerify, compare, deploy, history, init, newVersion, promote, redteamGenerate, registryPruneCache, registryPush, renderPrompt, rollback, runEval } from '../../src/app/index.js';
import { GateError, InputError } from '../../src/core/errors.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { fakeClock } from '../support/fake-clock.js';
import { refusal } from '../support/refusal.js';

/**
 * A script calling the use cases is told about the options it passed (`reason`), never about flags
 * it did not type (`--reason`); the CLI passes `optionNames: 'flags'` and keeps its words
 * (test/commands and test/e2e hold those).
 */

const ID = 'support-answer';
let cwd: string;
const clock = fakeClock();
const env = {};

beforeAll(() => {
  cwd = makeProject();
});
afterAll(() => cleanupTempDirs());

/** The InputError a call rejects with (test/support/refusal.ts). */
const refused = (p: Promise<unknown>): Promise<InputError> => refusal(p, InputError);

describe('the use cases name the options a script passed', () => {
  it('deploy with force and no reason asks for reason, not --reason', async () => {
    const e = await refused(deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'staging', force: true, actor: 'script@example.com' }));
    expect(e.message).toBe('force needs reason: "..."');
    expect(e.hint).toBe('add reason: "why this cannot wait for the gates"');
  });

  it("deploy to production without a reason or actor words the policy's refusal in options", async () => {
    const e = await refused(deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'production' }));
    expect(e.message).toBe('deploying to production without a terminal needs reason: "..." and a named actor');
    expect(e.hint).toBe('add reason: "why", actor: "you@example.com" (or set PROMPTCTL_ACTOR instead of actor; CI user variables such as GITHUB_ACTOR count too)');
  });

  it('an empty actor, or a reason with a line break, names the option', async () => {
    const empty = await refused(deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'staging', actor: ' ', reason: 'why' }));
    expect(empty.message).toBe('actor is only whitespace');
    expect(`${empty.why} ${empty.hint}`).not.toContain('--');
    const broken = await refused(rollback({ cwd, env, clock, id: ID, environment: 'staging', reason: 'a\nb' }));
    expect(broken.message).toMatch(/^reason contains a control character/);
    expect(broken.hint).toBe('pass reason as a single line of plain text.');
  });

  it('history with a since that is no time quotes the option as passed', async () => {
    const e = await refused(history({ cwd, env, clock, since: 'yesterday' }));
    expect(e.message).toBe('since: "yesterday" is not a time');
  });

  it('rollback with a to that is no version, or an id with a version', async () => {
    expect((await refused(rollback({ cwd, env, clock, id: ID, environment: 'staging', to: 'latest' }))).message).toBe('to: "latest" is not a semantic version');
    expect((await refused(rollback({ cwd, env, clock, id: `${ID}@1.0.0`, environment: 'staging' }))).hint).toBe(`pass id: "${ID}" and to: "1.0.0" to roll back to that version.`);
  });

  it('promote from and to one environment, or to the first one', async () => {
    expect((await refused(promote({ cwd, env, clock, id: ID, from: 'staging', to: 'staging' }))).message).toBe('from and to are both staging');
    expect((await refused(promote({ cwd, env, clock, id: ID, to: 'development' }))).hint).toBe('pass from: "<env>" to name the source environment');
  });

  it('runEval names baseline, measureLatency, shard and merge as options', async () => {
    const ref = `${ID}@1.0.0`;
    expect((await refused(runEval({ cwd, env, clock, refs: [ref], baseline: 'nowhere' }))).message).toBe('baseline: "nowhere" is not an environment');
    const latency = await refused(runEval({ cwd, env, clock, refs: [ref], measureLatency: true }));
    expect(latency.message).toBe('measureLatency needs baseline: "<env>"');
    expect(latency.hint).not.toContain('--');
    const both = await refused(runEval({ cwd, env, clock, refs: [ref], shard: '1/2', merge: true }));
    expect(both.message).toBe('shard and merge cannot be used together');
    expect(both.hint).toBe('run each shard job with shard: "i/n", then one job with merge: true');
  });

  it('runEval and compare name suite, and give no advice about flags', async () => {
    const e = await refused(runEval({ cwd, env, clock, refs: [`${ID}@1.0.0`], suite: ['golden', 'nope'] }));
    expect(e.message).toBe(`no suite "nope" applies to ${ID}@1.0.0 (suite)`);
    expect(`${e.why} ${e.hint}`).not.toMatch(/--suite|takes every word/);
    const c = await refused(compare({ cwd, env, clock, a: `${ID}@1.0.0`, b: `${ID}@1.1.0`, suite: ['nope'] }));
    expect(c.message).toBe(`no suite applies to ${ID}@1.0.0, ${ID}@1.1.0 (with suite: ["nope"])`);
    expect(c.hint).toMatch(/pass one of them to suite, or leave suite out to run them all\.$/);
  });

  it('runEval with a version in model says so without advice about the order of flags', async () => {
    const e = await refused(runEval({ cwd, env, clock, refs: [`${ID}@1.1.0`], model: [`${ID}@1.0.0`] }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`model: ["${ID}@1.0.0"] holds "${ID}@1.0.0", a prompt version, not a model`);
    expect(`${e.message} ${e.why} ${e.hint}`).not.toMatch(/--model|takes every word/);
  });

  it('runEval names case as an option, without advice about the order of flags', async () => {
    const some = await refused(runEval({ cwd, env, clock, refs: [`${ID}@1.1.0`], suite: ['golden'], case: ['refund-window', 'nope-*'] }));
    expect(some.message).toBe('no case matches "nope-*" (case)');
    expect(some.why).toBeUndefined();
    expect(some.hint).not.toContain('--');
    const none = await refused(runEval({ cwd, env, clock, refs: [`${ID}@1.1.0`], suite: ['golden'], case: ['nope-*'] }));
    expect(none.message).toBe('no case matches case: ["nope-*"]');
  });

  it('auditVerify with a since that is no anchored head quotes the option as passed', async () => {
    const e = await refused(auditVerify({ cwd, env, clock, since: 'yesterday' }));
    expect(e.message).toBe('since: "yesterday" is not an anchored head');
    expect(e.hint).toMatch(/^pass it as printed, e\.g\. since: "42:[0-9a-f]{64}"$/);
  });

  it('runEval names its report files by their options: junit and summary on one file', async () => {
    const reportFormats = { junit: () => '<testsuites/>', markdown: () => '## summary' };
    const e = await refused(runEval({ cwd, env, clock, refs: [`${ID}@1.0.0`], junit: 'out/report', summary: 'out/report', reportFormats }));
    expect(e.message).toMatch(/^junit and summary name the same file, /);
    expect(`${e.message} ${e.hint}`).not.toContain('--');
  });

  it('compare with eval: false and no stored runs says so in options', async () => {
    const e = await refused(compare({ cwd, env, clock, a: `${ID}@1.0.0`, b: `${ID}@1.1.0`, eval: false }));
    expect(e.message).toMatch(/^compare \(eval: false\): no stored run of /);
    expect(e.why).toMatch(/^compare \(eval: false\) reads stored runs only/);
  });

  it('renderPrompt names var, varsFile and values, never --var or --vars-file', async () => {
    const ref = `${ID}@1.1.0`;
    const bad = await refused(renderPrompt({ cwd, env, clock, ref, var: ['question'] }));
    expect(bad.message).toBe('"question" (var) is not name=value');
    expect(bad.hint).not.toContain('--');
    const twice = await refused(renderPrompt({ cwd, env, clock, ref, var: ['question=a', 'question=b'] }));
    expect(twice.message).toBe('question in var given 2 different values ("a", "b"): give it once');
    expect(twice.hint).not.toContain('--');
    const file = await refused(renderPrompt({ cwd, env, clock, ref, varsFile: 'nope.yaml' }));
    expect(file.message).toBe('cannot read varsFile nope.yaml');
    const missing = await refused(renderPrompt({ cwd, env, clock, ref }));
    expect(missing.hint).toMatch(/give every required variable in values/);
    expect(missing.hint).not.toContain('--');
  });

  it('redteamGenerate names injectInto, name and out as options', async () => {
    const into = await refused(redteamGenerate({ cwd, env, clock, id: ID, injectInto: 'nope' }));
    expect(into.message).toBe(`injectInto: "nope" is not a variable of ${ID}@1.1.0`);
    expect(into.hint).toMatch(/^pass injectInto: "<one of: /);
    expect((await refused(redteamGenerate({ cwd, env, clock, id: ID, name: 'Not A Slug' }))).message).toBe('name: "Not A Slug" is not a lowercase slug');
    const out = await refused(redteamGenerate({ cwd, env, clock, id: ID, out: '../elsewhere.jsonl' }));
    expect(out.message).toBe('out: "../elsewhere.jsonl" is outside the project');
    // Before, "--packs: unknown pack or category …" whatever the caller's naming.
    const packs = await refused(redteamGenerate({ cwd, env, clock, id: ID, packs: ['nope'] }));
    expect(packs.message).toBe('packs: unknown pack or category "nope"');
    expect(packs.why).toBe('packs takes attack pack names or attack categories, separated by commas or spaces');
  });

  it('registryPush names from and to as options', async () => {
    const from = await refused(registryPush({ cwd, env, clock, from: 'nowhere.db', to: 'postgres://app@127.0.0.1:1/registry' }));
    expect(from.message).toMatch(/^no registry at .*nowhere\.db \(from\)$/);
    const to = await refused(registryPush({ cwd, env, clock, to: 'postgres://app:secret@127.0.0.1:1/registry' }));
    expect(to.message).toBe('to must not contain a password');
    expect(`${to.why} ${to.hint}`).not.toContain('--');
    expect(`${to.message} ${to.why} ${to.hint}`).not.toContain('secret');
  });

  it('registryPruneCache names olderThan and all as options', async () => {
    const neither = await refused(registryPruneCache({ cwd, env, clock }));
    expect(neither.message).toBe('say which cached answers to remove: olderThan: "<age>" (for example 90d) or all: true');
    expect(neither.hint).not.toContain('--');
    expect((await refused(registryPruneCache({ cwd, env, clock, olderThan: 'soon' }))).message).toBe('olderThan: "soon" is not an age');
  });

  it('newVersion names description as an option', async () => {
    const e = await refused(newVersion({ cwd, env, clock, id: ID, description: 'bell \u0007' }));
    expect(e.message).toMatch(/^description contains a control character/);
    expect(e.hint).toBe('pass description as plain text.');
  });

  it('init over a kept .promptrc.yaml names baseUrl and model as options', async () => {
    const r = await init({ cwd: makeProject(), env, clock, baseUrl: 'http://127.0.0.1:1/v1', model: 'm' });
    expect(r.warnings.find((w) => w.includes('did not change it'))).toMatch(/so baseUrl and model did not change it/);
  });

  it('a cwd that is no project folder is named as the cwd option, not --cwd (-C)', async () => {
    const { status } = await import('../../src/app/index.js');
    const missing = await refused(status({ cwd: `${cwd}/no-such-folder`, env, clock }));
    expect(missing).toMatchObject({ why: 'a use case runs in the folder its cwd names and looks for the project from there.', hint: 'pass cwd: the project folder, or a folder inside it.' });
    const empty = mkdtempSync(path.join(os.tmpdir(), 'promptctl-no-project-'));
    try {
      const none = await refused(status({ cwd: empty, env, clock }));
      expect(none.hint).toBe('create a project there (`init`, or `promptctl init`), or pass cwd: the project folder.');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('init inside a project names nested: true', async () => {
    const e = await refused(init({ cwd, env, clock, dir: 'sub' }));
    expect(e.hint).toMatch(/to make a separate project here anyway, pass nested: true\.$/);
  });

  it('deploy bound with ifActive says so in options when another version is active', async () => {
    const e = await refusal(deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'development', ifActive: '9.9.9', actor: 'script@example.com' }), GateError);
    expect(e.why).toMatch(/being active \(a confirmed preview, or ifActive\)/);
  });
});
