// The full attack-pack set for one prompt: (a) expanding every pack and scoring a leaking answer
// to each attack in-process (the detectors' cost alone), and (b) a whole `promptctl eval` of the
// adversarial suite (attacks: [all]) against the zero-latency simulator, with the cache off.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandAttacks } from '../dist/core/attacks/expand.js';
import { scoreSample } from '../dist/core/scoring/score.js';
import { shippedPacks } from '../dist/infra/eval/attacks.js';
import { startSimulator } from '../dist/sim/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(args, cwd) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(root, 'dist/bin/promptctl.cjs'), ...args], { cwd, env: { ...process.env, CI: '1' } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.resume();
    child.on('close', (code) => (code === 0 || code === 1 ? resolve(Number(process.hrtime.bigint() - t) / 1e6) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

export async function benchAttacks({ log }) {
  const results = [];
  const system = readFileSync(path.join(root, 'examples/quickstart/prompts/support-answer/1.0.0.yaml'), 'utf8');
  const t0 = performance.now();
  const cases = expandAttacks({ attacks: ['all'], packs: shippedPacks(), injectInto: 'question', baseVars: {} });
  for (const c of cases) {
    // A worst case for the detectors: the answer repeats the attack and the whole system prompt.
    await scoreSample(c.expect, { output: `${c.vars.question}\n${system}`, latencyMs: 1, tokensOut: 100, systemPrompt: system, canary: 'CANARY-0123456789abcdef', leakMinChars: 40 });
  }
  const scoreMs = performance.now() - t0;
  results.push({ metric: `expand + score ${cases.length} attacks in-process (ms)`, value: scoreMs, target: 1000, pass: scoreMs <= 1000, detail: `${(scoreMs / cases.length).toFixed(2)} ms per attack` });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-bench-attacks-'));
  const sim = await startSimulator({ port: 0 });
  try {
    cpSync(path.join(root, 'examples/quickstart'), dir, { recursive: true });
    const rc = path.join(dir, '.promptrc.yaml');
    writeFileSync(rc, readFileSync(rc, 'utf8').replace('http://127.0.0.1:8000/v1', sim.url).replace('concurrency: 16', 'concurrency: 32'));
    const evalMs = await run(['eval', 'support-answer@1.0.0', '--suite', 'adversarial', '--no-cache'], dir);
    const sent = sim.stats().chatCompletions;
    results.push({ metric: `promptctl eval of the full pack set, zero-latency simulator (ms)`, value: evalMs, target: 10000, pass: evalMs <= 10000, detail: `${sent} requests, ${(sent / (evalMs / 1000)).toFixed(0)} req/s` });
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const r of results) log(r);
  return { name: 'attacks', results };
}
