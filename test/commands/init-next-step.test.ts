import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initText } from '../../src/render/scaffold-text.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';

/**
 * init's "next:" line offers the simulator only when the written config points at it (on its
 * port, with --model's name); otherwise it names the server the config points at and how to check
 * it. Before, it always offered `npx promptctl-sim --port 8000`, which an --base-url config never reaches.
 */

afterAll(() => cleanupTempDirs());
const base = { root: '/p', created: ['.promptrc.yaml'], kept: [], blank: false, warnings: [], hasVersions: true };

const CASES: Array<[string, Parameters<typeof initText>[0]['server'], string]> = [
  ['the simulator address', { baseUrl: 'http://127.0.0.1:8000/v1', model: 'sim-model', simulator: { port: 8000 } }, 'start the simulator .promptrc.yaml points at (`npx promptctl-sim --port 8000`) and run promptctl eval'],
  ['the simulator address with --model', { baseUrl: 'http://127.0.0.1:8000/v1', model: 'my model', simulator: { port: 8000, model: 'my model' } }, "`npx promptctl-sim --port 8000 --model 'my model'`"],
  ['another server', { baseUrl: 'http://vllm.internal:9000/v1', model: 'llama' }, '`promptctl lint --server` (checks that http://vllm.internal:9000/v1 is up and serves llama) and promptctl eval'],
  ['replicas', { baseUrl: ['http://a:1/v1', 'http://b:2/v1'], model: 'llama' }, 'checks that http://a:1/v1, http://b:2/v1 is up and serves llama'],
  ['a kept config', undefined, 'checks that the server .promptrc.yaml names is up and serves its model'],
];

describe("init's next step", () => {
  it.each(CASES)('for %s', (_name, server, expected) => {
    const next = initText({ ...base, ...(server ? { server } : {}) }).at(-1)!;
    expect(next).toContain(expected);
    if (!server?.simulator) expect(next).not.toContain('promptctl-sim');
  });

  it('--blank in a folder that holds a project (a copied example) leads to lint, not to `new`', () => {
    expect(initText({ ...base, blank: true, existing: '.promptrc.yaml, prompts/' }).at(-1)).toMatch(/^next: promptctl lint, then `promptctl lint --server`/);
    expect(initText({ ...base, blank: true, hasVersions: false }).at(-1)).toMatch(/^next: promptctl new <prompt-id> \(its first version, 1\.0\.0\), then promptctl lint, then /);
  });

  it.each(CASES)('--blank ends with the same server step, after new, for %s', (_name, server, expected) => {
    const withServer = server ? { server } : {};
    const full = initText({ ...base, ...withServer }).at(-1)!;
    const blank = initText({ ...base, blank: true, hasVersions: false, ...withServer }).at(-1)!;
    expect(blank).toBe(full.replace(/^next: /, 'next: promptctl new <prompt-id> (its first version, 1.0.0), then '));
    expect(blank).toContain(expected);
  });

  it('init --base-url --model names that server, init alone the simulator on its port', async () => {
    const cwd = makeTempDir();
    const custom = await runCliInProcess(['init', 'a', '--base-url', 'http://vllm.internal:9000/v1', '--model', 'llama'], { cwd });
    expect(custom.code, custom.output).toBe(0);
    expect(custom.stdout.trim().split('\n').at(-1)).toBe('next: cd a, then promptctl lint, then `promptctl lint --server` (checks that http://vllm.internal:9000/v1 is up and serves llama) and promptctl eval');
    // The help text's own example: --blank gives the same check, after new.
    const blank = await runCliInProcess(['init', 'c', '--blank', '--base-url', 'http://vllm.internal:9000/v1', '--model', 'llama'], { cwd });
    expect(blank.stdout.trim().split('\n').at(-1)).toBe('next: cd c, then promptctl new <prompt-id> (its first version, 1.0.0), then promptctl lint, then `promptctl lint --server` (checks that http://vllm.internal:9000/v1 is up and serves llama) and promptctl eval');
    const plain = await runCliInProcess(['init', 'b', '--model', 'llama'], { cwd });
    expect(plain.stdout.trim().split('\n').at(-1)).toContain('(`npx promptctl-sim --port 8000 --model llama`)');
  });

  it('init <dir> starts with the cd into it (quoted for the shell), init in the folder itself without one', async () => {
    const cwd = makeTempDir();
    const spaced = await runCliInProcess(['init', 'my prompts'], { cwd });
    expect(spaced.code, spaced.output).toBe(0);
    // Before, it began with `promptctl lint`, which beside the project finds no .promptrc.yaml (exit 2).
    expect(spaced.stdout.trim().split('\n').at(-1)).toMatch(/^next: cd 'my prompts', then promptctl lint, then start the simulator/);
    const here = makeTempDir();
    const plain = await runCliInProcess(['init', '--blank'], { cwd: here });
    expect(plain.code, plain.output).toBe(0);
    expect(plain.stdout.trim().split('\n').at(-1)).toMatch(/^next: promptctl new <prompt-id>/);
  });
});

describe('init -C <dir>: the next step is typed in the shell that ran it', () => {
  it.each([
    [['-C', 'x', 'init'], 'next: cd x, then '],
    [['-C', 'x', 'init', 'sub'], 'next: cd x/sub, then '],
    [['init', 'x'], 'next: cd x, then '],
  ])('%j', async (args, expected) => {
    const shell = makeTempDir();
    const r = await runCliInProcess(args, { cwd: shell });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it("a relative -C is taken from the folder the command ran in, not the process's", async () => {
    const shell = makeTempDir();
    const r = await runCliInProcess(['-C', 'x', 'init'], { cwd: shell });
    expect(r.code, r.output).toBe(0);
    expect(existsSync(path.join(shell, 'x', '.promptrc.yaml'))).toBe(true);
    expect(existsSync(path.join(process.cwd(), 'x'))).toBe(false);
  });
});
