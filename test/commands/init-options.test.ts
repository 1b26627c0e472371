import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeTempDir, readProjectFile } from '../support/project.js';

/** Issue 14 §5: `init --blank`, and `init --base-url <url> --model <name>` for the user's own server. */

afterAll(() => cleanupTempDirs());

describe('init options', () => {
  it('--blank writes the config and .gitignore only, and the project lints clean', async () => {
    const dir = makeTempDir();
    const r = await runCliInProcess(['init', '--blank'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('created .promptrc.yaml');
    expect(r.stdout).toContain('created .gitignore');
    expect(r.stdout).toContain('next: promptctl new <prompt-id>');
    expect(existsSync(path.join(dir, 'prompts'))).toBe(false);
    expect(existsSync(path.join(dir, 'evalsets'))).toBe(false);
    const lint = await runCliInProcess(['lint'], { cwd: dir });
    expect(lint.code, lint.output).toBe(0);
    // The first prompt then comes from `new`.
    expect((await runCliInProcess(['new', 'faq', '--author', 'me@example.com'], { cwd: dir })).code).toBe(0);
    expect(existsSync(path.join(dir, 'prompts/faq/1.0.0.yaml'))).toBe(true);
  });

  it('--base-url and --model are written into server:, comments kept, and the example still lints', async () => {
    const dir = makeTempDir();
    const r = await runCliInProcess(['init', 'proj', '--base-url', 'https://vllm.internal:8443/v1', '--model', 'meta-llama/Llama-3.1-8B-Instruct'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    const text = readProjectFile(path.join(dir, 'proj'), '.promptrc.yaml');
    const config = parse(text) as { server: { base_url: string; model: string; api_key_env: string } };
    expect(config.server.base_url).toBe('https://vllm.internal:8443/v1');
    expect(config.server.model).toBe('meta-llama/Llama-3.1-8B-Instruct');
    expect(config.server.api_key_env).toBe('VLLM_API_KEY');
    expect(text).toContain('# promptctl project configuration');
    expect(existsSync(path.join(dir, 'proj/prompts/support-answer/1.0.0.yaml'))).toBe(true);
    expect((await runCliInProcess(['lint'], { cwd: path.join(dir, 'proj') })).code).toBe(0);
  });

  it('a base URL without /v1 is written as given, with a warning naming the URL it likely needs', async () => {
    const dir = makeTempDir();
    const r = await runCliInProcess(['init', 'proj', '--base-url', 'http://127.0.0.1:42399', '--model', 'mymodel'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stderr).toContain('warning: --base-url http://127.0.0.1:42399 does not end in /v1, where vLLM serves its OpenAI-compatible API');
    expect(r.stderr).toContain('you probably want http://127.0.0.1:42399/v1 (set server.base_url in .promptrc.yaml), unless a proxy serves the API at this path');
    expect((parse(readProjectFile(path.join(dir, 'proj'), '.promptrc.yaml')) as { server: { base_url: string } }).server.base_url).toBe('http://127.0.0.1:42399');
    // With /v1 (the previous test's URL too), nothing to say.
    const ok = await runCliInProcess(['init', 'ok', '--blank', '--base-url', 'http://127.0.0.1:42399/v1'], { cwd: dir });
    expect(ok.stderr).not.toContain('/v1, where');
  });

  it('a model name YAML would misread stays a string', async () => {
    const dir = makeTempDir();
    expect((await runCliInProcess(['init', '--blank', '--model', 'yes: #1'], { cwd: dir })).code).toBe(0);
    expect((parse(readProjectFile(dir, '.promptrc.yaml')) as { server: { model: string } }).server.model).toBe('yes: #1');
  });

  it('a base URL that is not one, is not http or https, or carries a password, is exit 2 naming the flag and writes nothing', async () => {
    for (const url of ['not a url', 'ftp://127.0.0.1:8000/v1', 'http://user:secret@127.0.0.1:8000/v1']) {
      const dir = makeTempDir();
      const r = await runCliInProcess(['init', '--base-url', url], { cwd: dir });
      expect(r.code, r.output).toBe(2);
      expect(r.stderr).toContain('--base-url');
      expect(r.stderr).not.toContain('secret');
      expect(existsSync(path.join(dir, '.promptrc.yaml'))).toBe(false);
    }
  });

  it('in a folder that holds a project, copies no example (warning); inside a project, refuses without --nested', async () => {
    const dir = makeTempDir();
    expect((await runCliInProcess(['init', '--blank'], { cwd: dir })).code).toBe(0);
    expect((await runCliInProcess(['new', 'support-answer', '--author', 'me@example.com', '--description', 'our real prompt'], { cwd: dir })).code).toBe(0);
    const again = await runCliInProcess(['init'], { cwd: dir });
    expect(again.code, again.output).toBe(0);
    expect(again.stderr).toContain('warning: this folder already holds a project (.promptrc.yaml, prompts/): no example prompt or suite was copied');
    expect(existsSync(path.join(dir, 'prompts/support-answer/1.1.0.yaml'))).toBe(false);
    expect(existsSync(path.join(dir, 'evalsets'))).toBe(false);
    // Prompts without a config: the config is made, the example is not.
    const loose = makeTempDir();
    mkdirSync(path.join(loose, 'prompts/faq'), { recursive: true });
    writeFileSync(path.join(loose, 'prompts/faq/1.0.0.yaml'), 'id: faq\n');
    const made = await runCliInProcess(['init'], { cwd: loose });
    expect(made.stdout).toContain('created .promptrc.yaml');
    expect(existsSync(path.join(loose, 'prompts/support-answer'))).toBe(false);

    const sub = path.join(dir, 'sub');
    const nested = await runCliInProcess(['init', 'sub'], { cwd: dir });
    expect(nested.code, nested.output).toBe(2);
    expect(nested.stderr).toContain(`error: ${sub} is inside the project at ${dir}`);
    expect(nested.stderr).toContain('to make a separate project here anyway, pass --nested.');
    expect(existsSync(sub)).toBe(false);
    expect((await runCliInProcess(['init', 'sub', '--nested'], { cwd: dir })).code).toBe(0);
    expect(existsSync(path.join(sub, 'prompts/support-answer/1.1.0.yaml'))).toBe(true);
  });

  it('without options init is as before: the example project with the simulator as its server', async () => {
    const dir = makeTempDir();
    expect((await runCliInProcess(['init'], { cwd: dir })).code).toBe(0);
    expect(readProjectFile(dir, '.promptrc.yaml')).toBe(readProjectFile(path.resolve('examples/quickstart'), '.promptrc.yaml'));
  });

  it('in an existing project: a kept .gitignore that does not ignore the registry, and options a kept config did not take, are warned about', async () => {
    const dir = makeTempDir();
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
    expect((await runCliInProcess(['init', '--blank'], { cwd: dir })).code).toBe(0);
    const again = await runCliInProcess(['init', '--blank', '--base-url', 'http://127.0.0.1:9999/v1', '--model', 'other'], { cwd: dir });
    expect(again.code, again.output).toBe(0);
    expect(again.stderr).toContain('warning: .gitignore was kept, and it does not ignore .promptctl/ (the registry database, which is not kept in git): add a line `.promptctl/` to it');
    expect(again.stderr).toContain('warning: .promptrc.yaml was kept, so --base-url and --model did not change it: set server.base_url and server.model in it');
    expect(readProjectFile(dir, '.gitignore')).toBe('node_modules/\n');
    // A .gitignore that ignores it, written any usual way, is not warned about.
    for (const line of ['.promptctl/', '/.promptctl', '.promptctl', '.promptctl/**']) {
      const own = makeTempDir();
      writeFileSync(path.join(own, '.gitignore'), `dist/\n${line}\n`);
      expect((await runCliInProcess(['init', '--blank'], { cwd: own })).stderr, line).not.toMatch(/warning/);
    }
  });
});
