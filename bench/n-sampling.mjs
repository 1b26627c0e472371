// n-sampling against the in-process simulator (issue 15): `repeat: 5` on 1,000 cases at temperature 0.7, evaluated
// with n-sampling (one request with n: 5 per case) and with --no-n (one request per sample), cache
// bypassed, 20 ms simulated latency, concurrency 32. Targets: requests sent and prompt tokens
// prefilled (as the simulator counts them) fall by at least 4.5x; wall time no worse than separate
// requests. Speed is reported here, never asserted in tests.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist/bin/promptctl.cjs');

function project(sim, cases, repeat) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-bench-n-'));
  cpSync(path.join(root, 'examples/quickstart'), dir, { recursive: true });
  rmSync(path.join(dir, 'evalsets'), { recursive: true, force: true });
  mkdirSync(path.join(dir, 'evalsets/support-answer'), { recursive: true });
  const lines = ['prompt: support-answer', 'versions: "1.1.0"', 'kind: golden', 'threshold: 0', `repeat: ${repeat}`, 'cases:'];
  for (let i = 0; i < cases; i++) lines.push(`  - id: c${i}`, `    vars: { question: "How long do I have to ask for a refund? (ticket ${i})" }`, '    expect:', '      - { icontains: "30 days" }');
  writeFileSync(path.join(dir, 'evalsets/support-answer/bench.yaml'), `${lines.join('\n')}\n`);
  // Sampled: repeated samples at temperature 0 are one answer repeated, and vLLM refuses n > 1 there
  // ("n must be 1 when using greedy sampling"), so n-sampling is for runs sampled above 0.
  const version = path.join(dir, 'prompts/support-answer/1.1.0.yaml');
  writeFileSync(version, readFileSync(version, 'utf8').replace(/^(\s+)temperature: 0$/m, '$1temperature: 0.7'));
  const rc = path.join(dir, '.promptrc.yaml');
  writeFileSync(rc, readFileSync(rc, 'utf8').replace(/base_url: .*/, `base_url: ${sim.url}`));
  return dir;
}

function evalOnce(dir, extra) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'eval', 'support-answer@1.1.0', '--no-cache', '--concurrency', '32', ...extra], { cwd: dir, env: { ...process.env, CI: '1', NO_COLOR: '1' }, stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 || code === 1 ? resolve(performance.now() - started) : reject(new Error(`eval exited ${code}`))));
  });
}

export async function benchNSampling({ log, cases = 1000, repeat = 5, latencyMs = 20 } = {}) {
  const { startSimulator } = await import(pathToFileURL(path.join(root, 'dist/sim/server.js')).href);
  const sim = await startSimulator({ port: 0, latencyMs });
  const dir = project(sim, cases, repeat);
  const results = [];
  try {
    const measure = async (extra) => {
      sim.resetStats();
      const ms = await evalOnce(dir, extra);
      return { ms, ...sim.stats() };
    };
    const seed = await measure(['--no-n']);
    const n = await measure([]);
    const push = (r) => (results.push(r), log(r));
    push({ metric: `requests sent, one per sample / n-sampling (${seed.chatCompletions} / ${n.chatCompletions})`, value: seed.chatCompletions / n.chatCompletions, target: '>= 4.5', pass: seed.chatCompletions / n.chatCompletions >= 4.5 });
    push({ metric: `prompt tokens prefilled, one per sample / n-sampling (${seed.promptTokens} / ${n.promptTokens})`, value: seed.promptTokens / n.promptTokens, target: '>= 4.5', pass: seed.promptTokens / n.promptTokens >= 4.5 });
    push({ metric: `wall time, n-sampling / one per sample (${Math.round(n.ms)} ms / ${Math.round(seed.ms)} ms)`, value: n.ms / seed.ms, target: '<= 1.0', pass: n.ms <= seed.ms });
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { results };
}
