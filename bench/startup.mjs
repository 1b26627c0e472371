// Start-up cost: `promptctl --version` and `--help` against a bare `node -e 0`, measured in one
// run, interleaved so machine noise hits all three alike. Target: at most 2.5x.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_META } from '../scripts/bundle-cjs.mjs';

const cli = fileURLToPath(new URL('../dist/bin/promptctl.cjs', import.meta.url));

function wall(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const HEAVY = ['ink', 'react', 'openai', 'better-sqlite3', 'zod', 'yaml', 'chalk'];

/**
 * Packages among HEAVY that a command loads. The CLI is bundled (scripts/bundle.mjs), so a package
 * may arrive inside a chunk: every loaded file is traced, and each bundled chunk is mapped to the
 * source modules it holds through esbuild's metafile (BUNDLE_META, written by the build).
 */
export function heavyModulesLoaded(args) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-trace-'));
  const file = path.join(dir, 'loads.txt');
  let loads;
  try {
    writeFileSync(file, '');
    spawnSync(process.execPath, ['--import', new URL('./trace-loads.mjs', import.meta.url).href, ...args], { env: { ...process.env, TRACE_LOADS_FILE: file } });
    loads = readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const meta = JSON.parse(readFileSync(path.join(root, BUNDLE_META), 'utf8'));
  const sources = [];
  for (const url of loads.split('\n').filter((u) => u.startsWith('file:'))) {
    const rel = path.relative(root, fileURLToPath(url)).split(path.sep).join('/');
    const output = meta.outputs[rel];
    sources.push(...(output ? Object.keys(output.inputs) : [rel]));
  }
  const found = sources.map((s) => s.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1]).filter((p) => HEAVY.includes(p));
  return [...new Set(found)];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchStartup({ log, runs = 15 }) {
  const cases = { node: ['-e', '0'], version: [cli, '--version'], help: [cli, '--help'] };
  const times = { node: [], version: [], help: [] };
  for (const k of Object.keys(cases)) wall(cases[k]); // warm the file cache
  for (let i = 0; i < runs; i++) for (const k of Object.keys(cases)) times[k].push(wall(cases[k]));
  const base = median(times.node);
  const results = ['version', 'help'].map((k) => {
    const ratio = median(times[k]) / base;
    return { metric: `promptctl --${k} / node -e 0`, value: ratio, target: 2.5, pass: ratio <= 2.5, detail: `${median(times[k]).toFixed(1)} ms vs ${base.toFixed(1)} ms` };
  });
  // Which heavy modules does --help pull in? None of these may load.
  const loaded = heavyModulesLoaded([cli, '--help']);
  results.push({ metric: 'heavy modules loaded by --help', value: loaded.length, target: 0, pass: loaded.length === 0, detail: loaded.join(', ') || 'none' });
  for (const r of results) log(r);
  return { name: 'startup', results };
}
