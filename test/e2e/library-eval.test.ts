import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSimProject } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * The README's library example, exactly as printed there: the script is cut out of README.md,
 * written into a copy of the quickstart project (the simulator serving it), and run with node
 * against the built package, resolved as an application gets it (node_modules/promptctl).
 */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = path.join(REPO_ROOT, 'dist', 'index.js');

/** The README's Library section. */
function readmeLibrary(): string {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  return readme.slice(readme.indexOf('\n## Library\n'), readme.indexOf('\n## ', readme.indexOf('\n## Library\n') + 1));
}

/** The ```js block of the README's Library section that imports runEval. */
function readmeExample(): string {
  const blocks = [...readmeLibrary().matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const example = blocks.find((b) => b.includes("import { runEval } from 'promptctl'"));
  if (!example) throw new Error("README.md's Library section has no ```js block importing runEval from 'promptctl'");
  return example;
}

function runNode(cwd: string, file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1' };
    for (const k of ['VLLM_API_KEY', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR']) delete env[k];
    const child = spawn(process.execPath, [file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const sim = simulatorForFile();
let dir: string;

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} does not exist: build first (npm run build)`);
  dir = makeSimProject(sim.url, {}, 'promptctl-library-eval-');
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'promptctl'), 'dir');
});

describe("the README's library example", () => {
  it('evaluates a version from a script and reads its verdict: every suite passed, tested, exit 0', async () => {
    writeFileSync(path.join(dir, 'check.mjs'), readmeExample());
    const r = await runNode(dir, 'check.mjs');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    // Nothing printed but what the script prints: the use case itself writes no progress or table.
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^support-answer@1\.1\.0 \S+: passed \(\d+\/\d+ cases\)$/),
      expect.stringMatching(/^support-answer@1\.1\.0 \S+: passed \(\d+\/\d+ cases\)$/),
      'tested: true',
      'verdict: passed',
    ]);
    expect(new Set(lines.slice(0, 2).map((l) => l.split(' ')[1]!.replace(':', '')))).toEqual(new Set(['golden', 'adversarial']));
  });

  it("'promptctl/app' resolves through package.json exports to every use case", async () => {
    // Every use case in src/app (an exported async function taking the use case's `opts`), so a
    // new one cannot be left out of the entry without this failing.
    const useCases = readdirSync(path.join(REPO_ROOT, 'src/app'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => [...readFileSync(path.join(REPO_ROOT, 'src/app', f), 'utf8').matchAll(/^export async function (\w+)\(opts: /gm)].map((m) => m[1]!))
      .sort();
    expect(useCases).toEqual(expect.arrayContaining(['runEval', 'compare', 'runCi', 'reportSources', 'lint', 'diff', 'registryPush', 'registryRoles', 'effectiveConfig']));
    writeFileSync(path.join(dir, 'app.mjs'), "import * as app from 'promptctl/app';\nconsole.log(JSON.stringify(Object.keys(app).filter((n) => typeof app[n] === 'function')));\n");
    const r = await runNode(dir, 'app.mjs');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const exported = JSON.parse(r.stdout) as string[];
    expect(useCases.filter((n) => !exported.includes(n)), 'use cases missing from promptctl/app (src/app/index.ts)').toEqual([]);
  });

  it("an error a use case of 'promptctl/app' throws is an instance of the error classes of both entries", async () => {
    // 'promptctl/app' is one bundled module (scripts/bundle.mjs) beside the main entry's own files:
    // both must hand out the same error classes, or a script's instanceof would miss.
    writeFileSync(
      path.join(dir, 'errors.mjs'),
      [
        "import * as app from 'promptctl/app';",
        "import * as main from 'promptctl';",
        'for (const ask of [',
        "  () => app.deploy({ ref: 'support-answer@9.9.9', environment: 'staging', actor: 'a@example.com', interactive: false, cwd: process.cwd() }),",
        "  () => app.deploy({ ref: 'support-answer@1.1.0', environment: 'nowhere', actor: 'a@example.com', interactive: false, cwd: process.cwd() }),",
        ']) {',
        '  try {',
        '    await ask();',
        "    console.log('no error');",
        '  } catch (e) {',
        '    console.log([e instanceof app.PromptctlError, e instanceof main.PromptctlError, e instanceof app.InputError, e instanceof main.InputError, e.exitCode].join(" "));',
        '  }',
        '}',
        // The refusal of a deploy record that does not verify (getActive, getPrompt, exportPrompts): one class.
        "console.log([typeof app.UnverifiedRecordError === 'function', app.UnverifiedRecordError === main.UnverifiedRecordError, app.UnverifiedRecordError.prototype instanceof main.UnavailableError].join(' '));",
      ].join('\n'),
    );
    const r = await runNode(dir, 'errors.mjs');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout.trim().split('\n'), r.stderr).toEqual(['true true true true 2', 'true true true true 2', 'true true true']);
  });

  it('every code block and openRegistry call of the Library section type-checks against the published types (strict)', () => {
    // As an application compiles it: `promptctl` resolved through node_modules and package.json's
    // exports to dist/*.d.ts, strict. An inline call names `url` and `path` as an application has them.
    const library = readmeLibrary();
    const blocks = [...library.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const calls = [...library.matchAll(/`(openRegistry\([^`]*\))`/g)].map((m) => `import { openRegistry } from 'promptctl';\ndeclare const url: string | undefined;\ndeclare const path: string;\nexport const reader = ${m[1]!};\n`);
    expect([blocks.length, calls.length]).toEqual([2, expect.any(Number)]);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    // What getActive returns, as the README describes it: the author, an untrusted variable, the served request.
    const read = [
      "import { openRegistry, type ActivePrompt } from 'promptctl';",
      "const prompt: ActivePrompt | undefined = await openRegistry({ path: 'r.db' }).getActive('a', 'production');",
      'const facts: [string | undefined, boolean | undefined, string | undefined] = [prompt?.content.author, prompt?.content.variables?.[0]?.untrusted, prompt?.served?.request.model];',
      'console.log(facts);',
    ].join('\n');
    const files = [...blocks, ...calls, read].map((text, i) => {
      const file = path.join(dir, `readme-snippet-${i}.mts`);
      writeFileSync(file, text);
      return file;
    });
    const program = ts.createProgram(files, {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      // The snippets are under test, not the declaration files (published-types.test.ts): seconds, not a minute.
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(problems).toEqual([]);
  });
});
