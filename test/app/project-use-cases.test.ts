import { renameSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { diff, init, lint, list, newVersion, redteamGenerate, renderPrompt, show } from '../../src/app/index.js';
import { InputError } from '../../src/core/errors.js';

/**
 * The project use cases as a script calls them: plain data back, nothing printed, typed errors for
 * bad input. (The CLI's text and JSON for the same calls are covered by the command tests.)
 */

const QUICKSTART = fileURLToPath(new URL('../../examples/quickstart/', import.meta.url));
const dirs: string[] = [];
const env = { PROMPTCTL_ACTOR: 'script@example.com' };

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'promptctl-app-'));
  dirs.push(dir);
  return dir;
}

/** A fresh copy of the quickstart project, without any registry it may carry. */
function quickstart(): string {
  const dir = tempDir();
  cpSync(QUICKSTART, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.promptctl`) });
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('project use cases called from a script', () => {
  it('lint: the outcome and the exit code the CLI would use; strict turns warnings into errors', async () => {
    const cwd = quickstart();
    const clean = await lint({ cwd, env });
    expect(clean).toMatchObject({ exitCode: 0, strict: false, warnings: [] });
    expect(clean.outcome.errors).toBe(0);
    expect(clean.outcome.files).toBe(5); // 2 versions, 2 suites and the config

    mkdirSync(path.join(cwd, 'prompts/billing'));
    // No system message: a warning, which only `strict` makes fail.
    writeFileSync(path.join(cwd, 'prompts/billing/1.0.0.yaml'), 'id: billing\nversion: 1.0.0\ndescription: d\nauthor: a\nmessages:\n  - role: user\n    content: Hello\n');
    const warned = await lint({ cwd, env, paths: ['prompts/billing'] });
    expect(warned).toMatchObject({ exitCode: 0, outcome: { files: 1, errors: 0 } });
    expect(warned.outcome.problems.map((p) => p.rule)).toContain('security/no-system-message');
    const strict = await lint({ cwd, env, paths: ['prompts/billing'], strict: true });
    expect(strict).toMatchObject({ exitCode: 2, strict: true, outcome: { warnings: 0, errors: warned.outcome.warnings } });

    writeFileSync(path.join(cwd, 'prompts/support-answer/1.1.0.yaml'), 'id: support-answer\nversion: 1.1.0\n');
    const broken = await lint({ cwd, env, paths: ['prompts'] });
    expect(broken.exitCode).toBe(2);
    expect(broken.outcome.problems.every((p) => p.file.startsWith('prompts/'))).toBe(true);
    expect(broken.outcome.errors).toBeGreaterThan(0);
  });

  it('lint: a path that does not exist is bad input (exit 2), not a pass', async () => {
    const cwd = quickstart();
    const refused = lint({ cwd, env, paths: ['prompts/nope'] });
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toMatchObject({ exitCode: 2, message: 'no such file or folder: prompts/nope' });
  });

  it('list, show and renderPrompt read the project', async () => {
    const cwd = quickstart();
    const listed = await list({ cwd, env });
    expect(listed.exitCode).toBe(0);
    expect(listed.listing.prompts.map((p) => [p.id, p.latest, p.versions])).toEqual([['support-answer', '1.1.0', ['1.1.0', '1.0.0']]]);

    const shown = await show({ cwd, env, ref: 'support-answer' });
    expect(shown).toMatchObject({ id: 'support-answer', version: '1.1.0', state: 'draft', editedSinceRegistered: false, otherVersions: ['1.0.0'] });
    // show only reads: nothing was registered.
    expect(shown.registeredHash).toBeNull();

    const variable = shown.variables.find((v) => v.required)!.name;
    const rendered = await renderPrompt({ cwd, env, ref: 'support-answer@1.1.0', values: { [variable]: 'How do I reset my password?' } });
    expect(rendered.messages.map((m) => m.content).join('\n')).toContain('How do I reset my password?');
    await expect(renderPrompt({ cwd, env, ref: 'support-answer@1.1.0' })).rejects.toMatchObject({ exitCode: 2 });
  });

  it('newVersion writes the next version, diff compares it, and the copy keeps the content that matters', async () => {
    const cwd = quickstart();
    const created = await newVersion({ cwd, env, id: 'support-answer', bump: 'minor', description: 'Shorter answers.' });
    expect(created).toEqual({ id: 'support-answer', version: '1.2.0', file: 'prompts/support-answer/1.2.0.yaml', from: '1.1.0', suites: ['evalsets/support-answer/adversarial.yaml', 'evalsets/support-answer/golden.yaml'] });
    const d = await diff({ cwd, env, id: 'support-answer', a: '1.1.0', b: '1.2.0' });
    expect(d.identical).toBe(false);
    expect(d.patch).toContain('+description: Shorter answers.');
    expect(d.patch.split('\n').filter((l) => /^[+-][^+-]/.test(l))).toHaveLength(2);

    const fresh = await newVersion({ cwd, env, id: 'billing' });
    expect(fresh).toMatchObject({ version: '1.0.0', from: null });
    expect(readFileSync(path.join(cwd, fresh.file), 'utf8')).toContain('author: "script@example.com"');
  });

  it('newVersion from <id>@<version> copies that version (a fix of an older line); a version that does not exist is exit 2', async () => {
    const cwd = quickstart();
    const fix = await newVersion({ cwd, env, id: 'support-answer@1.0.0' });
    expect(fix).toEqual({ id: 'support-answer', version: '1.0.1', file: 'prompts/support-answer/1.0.1.yaml', from: '1.0.0', suites: ['evalsets/support-answer/adversarial.yaml', 'evalsets/support-answer/golden.yaml'] });
    const copied = readFileSync(path.join(cwd, fix.file), 'utf8');
    expect(copied.replace(/^(version|description):.*$/gm, '')).toBe(readFileSync(path.join(cwd, 'prompts/support-answer/1.0.0.yaml'), 'utf8').replace(/^(version|description):.*$/gm, ''));
    await expect(newVersion({ cwd, env, id: 'support-answer@7.0.0' })).rejects.toMatchObject({ exitCode: 2, message: 'prompt version support-answer@7.0.0 does not exist' });
    // A number a version file holds is passed over (saying so), never refused: 1.1.0 exists, so --minor gives 1.2.0.
    expect(await newVersion({ cwd, env, id: 'support-answer@1.0.0', bump: 'minor' })).toMatchObject({ version: '1.2.0', skippedFiles: ['prompts/support-answer/1.1.0.yaml'] });
    // The next version kept as .yml: passed over by that name, never a second file for one version.
    renameSync(path.join(cwd, fix.file), path.join(cwd, 'prompts/support-answer/1.0.1.yml'));
    expect(await newVersion({ cwd, env, id: 'support-answer@1.0.0' })).toMatchObject({ version: '1.0.2', skippedFiles: ['prompts/support-answer/1.0.1.yml'] });
  });

  it('init scaffolds a project once and keeps what exists; redteamGenerate writes a suite lint accepts', async () => {
    const cwd = tempDir();
    const first = await init({ cwd, env, dir: 'prompts-repo' });
    expect(first.root).toBe(path.join(cwd, 'prompts-repo'));
    expect(first.created).toContain('.gitignore');
    expect(first.kept).toEqual([]);
    const again = await init({ cwd, env, dir: 'prompts-repo' });
    expect(again.created).toEqual([]);
    expect(again.kept.sort()).toEqual(['.gitignore', '.promptrc.yaml']);
    expect(again.existing).toBe('.promptrc.yaml, prompts/, evalsets/');

    const generated = await redteamGenerate({ cwd: first.root, env, id: 'support-answer', packs: 'extraction' });
    expect(generated).toMatchObject({ id: 'support-answer', version: '1.1.0', suite: 'redteam' });
    expect(generated.generated).toMatchObject({ file: 'evalsets/support-answer/redteam.yaml', packs: ['extraction'] });
    expect(generated.generated.cases).toBeGreaterThan(0);
    expect(existsSync(path.join(first.root, generated.generated.file))).toBe(true);
    expect((await lint({ cwd: first.root, env, paths: [generated.generated.file] })).exitCode).toBe(0);
  });
});
