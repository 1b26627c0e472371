// Start-up cost: `promptctl --version` and `--help` against a bare `node -e 0`, measured in one
// run, interleaved so machine noise hits all three alike. Target: at most 2.5x.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/bin/promptctl.js', import.meta.url));

function wall(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Packages among ink, react, openai, better-sqlite3, zod and yaml that a command loads. */
export function heavyModulesLoaded(args) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'promptctl-trace-')), 'loads.txt');
  writeFileSync(file, '');
  spawnSync(process.execPath, ['--import', new URL('./trace-loads.mjs', import.meta.url).href, ...args], { env: { ...process.env, TRACE_LOADS_FILE: file } });
  const urls = readFileSync(file, 'utf8').split('\n');
  return [...new Set(urls.map((u) => u.match(/node_modules\/(ink|react|openai|better-sqlite3|zod|yaml|chalk)\//)?.[1]).filter(Boolean))];
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
