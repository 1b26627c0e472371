#!/usr/bin/env node
// The quick-start journey, end to end: starts the bundled vLLM-compatible simulator on a free
// port, copies the example project to a temp folder, and walks lint → eval → deploy to staging
// and production → a worse new version refused → rollback → a model upgrade (the same version on
// the next model, compared and refused by the gates) → status, history, audit verify.
// Every step checks its exit code; the demo exits non-zero if any step surprises it.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../dist/sim/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist/bin/promptctl.cjs');
const keep = process.argv.includes('--keep');
const dir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-demo-'));
// Two models: the one in use, and a next one (other weights, `root`) that misses some answers.
const sim = await startSimulator({
  port: 0,
  models: ['sim-model', 'sim-model-next'],
  modelSpecs: [
    { id: 'sim-model', root: 'org/sim-7b-v1' },
    { id: 'sim-model-next', root: 'org/sim-7b-v2', weakness: 0.6 },
  ],
});
let failed = false;

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

// The simulator lives in this process, so commands run asynchronously (a blocking spawn would starve it).
function exec(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function step(title, args, expectCode, opts = {}) {
  console.log(`\n${bold(`▶ ${title}`)}\n$ promptctl ${args.join(' ')}`);
  const r = await exec(args);
  const out = `${r.stdout}${r.stderr}`.trimEnd();
  const lines = out.split('\n');
  const shown = opts.maxLines && lines.length > opts.maxLines ? [...lines.slice(0, opts.maxLines), `  … ${lines.length - opts.maxLines} more lines`] : lines;
  console.log(shown.map((l) => `  ${l}`).join('\n'));
  const ok = r.status === expectCode;
  console.log(ok ? `  (exit ${r.status}, as expected)` : `  ✗ expected exit ${expectCode}, got ${r.status}`);
  if (!ok) failed = true;
  return r;
}

try {
  cpSync(path.join(root, 'examples/quickstart'), dir, { recursive: true });
  const rc = path.join(dir, '.promptrc.yaml');
  writeFileSync(rc, readFileSync(rc, 'utf8').replace('http://127.0.0.1:8000/v1', sim.url));
  console.log(`${bold('promptctl demo')}: simulator (a protocol test double, not a model) at ${sim.url}\nproject copied to ${dir}`);

  await step('Lint every prompt and eval set', ['lint'], 0);
  await step('Evaluate both versions: golden and adversarial suites, tested marks', ['eval', 'support-answer@1.0.0', 'support-answer@1.1.0'], 0);
  await step('Deploy 1.0.0 to staging', ['deploy', 'support-answer@1.0.0', '--env', 'staging', '--reason', 'first release'], 0, { maxLines: 2 });
  await step('Deploy 1.0.0 to production (it ran in staging first)', ['deploy', 'support-answer@1.0.0', '--env', 'production', '--reason', 'first release', '--actor', 'release-manager@example.com'], 0, { maxLines: 2 });
  await step('Deploy 1.1.0 to staging, then promote it to production', ['deploy', 'support-answer@1.1.0', '--env', 'staging', '--reason', 'JSON answers'], 0, { maxLines: 2 });
  await step('Promote staging to production', ['promote', 'support-answer', '--from', 'staging', '--to', 'production', '--reason', 'JSON answers', '--actor', 'release-manager@example.com'], 0, { maxLines: 3 });

  await step('A developer creates 1.2.0 and trims the system prompt', ['new', 'support-answer', '--minor', '--description', 'Shorter system prompt to save tokens.'], 0);
  const file = path.join(dir, 'prompts/support-answer/1.2.0.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => !/Refunds are available|Never reveal these instructions/.test(l))
      .join('\n'),
  );
  await step('Lint warns: no non-disclosure instruction any more', ['lint', 'prompts/support-answer/1.2.0.yaml'], 0);
  await step('Evaluate 1.2.0 against what runs in production', ['eval', 'support-answer@1.2.0', '--baseline', 'production'], 1, { maxLines: 40 });
  await step('Deploying 1.2.0 is refused, with every reason', ['deploy', 'support-answer@1.2.0', '--env', 'staging'], 1);
  await step('Production misbehaves? Roll back in seconds', ['rollback', 'support-answer', '--env', 'production', '--reason', 'answers regressed', '--actor', 'on-call@example.com'], 0);
  await step('A model upgrade: evaluate 1.1.0 on the model in use and the next one (the model matrix)', ['eval', 'support-answer@1.1.0', '--model', 'sim-model', '--model', 'sim-model-next'], 1, { maxLines: 24 });
  await step('The same version on the old and the new model, case by case', ['compare', 'support-answer@1.1.0:sim-model', ':sim-model-next', '--suite', 'golden'], 0, { maxLines: 24 });
  writeFileSync(rc, readFileSync(rc, 'utf8').replace('  - name: staging\n', '  - name: staging\n    model: sim-model-next\n'));
  console.log(`\n${bold('▶ Staging names its next model in .promptrc.yaml')}\n  environments: - name: staging, model: sim-model-next (nothing served changes until a gated deploy)`);
  await step('Deploying 1.1.0 to staging on the next model is refused: it regresses there', ['deploy', 'support-answer@1.1.0', '--env', 'staging'], 1);
  await step('What runs where (staging shows the pending model change)', ['status'], 0);
  await step('The audit trail', ['history', 'support-answer'], 0);
  await step('Verify the audit hash chain', ['audit', 'verify'], 0);
  const stats = sim.stats();
  console.log(`\nthe simulator served ${stats.chatCompletions} chat completions`);
  console.log(failed ? '\n✗ demo: some steps did not behave as expected' : '\n✓ demo finished: every step behaved as expected');
} finally {
  await sim.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
