import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Bundle the CLI once so the test runs it as a real node process without depending on `npm run build`.
let dir: string;
let script: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'promptctl-sim-cli-'));
  script = join(dir, 'sim.mjs');
  await build({ entryPoints: ['src/bin/sim.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: script, logLevel: 'silent' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; firstLine: Promise<string> } {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const firstLine = new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      rl.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
  return { child, firstLine };
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('promptctl-sim CLI', () => {
  it('prints the listening line first, serves, and exits cleanly on SIGTERM', async () => {
    const { child, firstLine } = start(['--port', '0', '--model', 'a', '--model', 'b', '--fault-500', '1', '--api-key-env', 'SIM_KEY'], { SIM_KEY: 'k-123' });
    const line = await firstLine;
    const m = /^promptctl-sim listening on (http:\/\/127\.0\.0\.1:(\d+)\/v1)$/.exec(line);
    expect(m).not.toBeNull();
    const url = m![1]!;
    const models = (await (await fetch(`${url}/models`, { headers: { authorization: 'Bearer k-123' } })).json()) as { data: { id: string }[] };
    expect(models.data.map((d) => d.id)).toEqual(['a', 'b']);
    const res = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k-123' },
      body: JSON.stringify({ model: 'a', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(500);
    const done = exitCode(child);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
  });

  it('exits cleanly on SIGINT', async () => {
    const { child, firstLine } = start(['--port', '0']);
    await firstLine;
    const done = exitCode(child);
    child.kill('SIGINT');
    expect(await done).toBe(0);
  });

  it('rejects bad arguments with exit code 2', async () => {
    const child = spawn(process.execPath, [script, '--fault-500', '3'], { stdio: 'ignore' });
    expect(await exitCode(child)).toBe(2);
    const badNoise = spawn(process.execPath, [script, '--noise-flip-rate', '2'], { stdio: 'ignore' });
    expect(await exitCode(badNoise)).toBe(2);
  });

  it('refuses (exit 2, naming the flag) values it would have bent: fractions of counts and seeds, an empty value, an empty busy window', async () => {
    for (const args of [['--faults-after', '2.5'], ['--seed', '1.5'], ['--max-model-len', '1.5'], ['--port', ''], ['--latency-ms', ' '], ['--noise-busy-from', '1.5'], ['--noise-busy-from', '5', '--noise-busy-until', '2']]) {
      const child = spawn(process.execPath, [script, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      // Old behaviour: it starts serving; stop it so the test fails instead of waiting.
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('listening')) child.kill('SIGTERM');
      });
      child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
      const code = await exitCode(child);
      expect({ args, code, listening: out.includes('listening') }).toEqual({ args, code: 2, listening: false });
      expect(out).toMatch(args.includes('--noise-busy-until') ? /busyUntil must be above busyFrom/ : new RegExp(`^promptctl-sim: ${args[0]} must be`));
    }
  });

  it('calls tools only when started with --enable-auto-tool-choice --tool-call-parser, as vLLM does', async () => {
    const body = JSON.stringify({
      model: 'sim-model',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } } }],
    });
    const off = start(['--port', '0']);
    const offUrl = /(http:\S+\/v1)$/.exec(await off.firstLine)![1]!;
    const refused = await fetch(`${offUrl}/chat/completions`, { method: 'POST', body });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('--enable-auto-tool-choice and --tool-call-parser');
    off.child.kill('SIGTERM');
    await exitCode(off.child);
    const on = start(['--port', '0', '--enable-auto-tool-choice', '--tool-call-parser', 'hermes']);
    const onUrl = /(http:\S+\/v1)$/.exec(await on.firstLine)![1]!;
    const answer = (await (await fetch(`${onUrl}/chat/completions`, { method: 'POST', body })).json()) as { choices: Array<{ finish_reason: string; message: { tool_calls: Array<{ function: { name: string; arguments: string } }> } }> };
    expect(answer.choices[0]!.finish_reason).toBe('tool_calls');
    expect(answer.choices[0]!.message.tool_calls[0]!.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    on.child.kill('SIGTERM');
    await exitCode(on.child);
    const noParser = spawn(process.execPath, [script, '--enable-auto-tool-choice'], { stdio: 'ignore' });
    expect(await exitCode(noParser)).toBe(2);
  });

  it('turns noise mode on with --noise-* flags', async () => {
    const { child, firstLine } = start(['--port', '0', '--noise-seed', '7', '--noise-flip-rate', '0.05', '--noise-busy', '--noise-busy-extra-ms', '1']);
    const origin = /(http:\/\/[^/]+)\/v1$/.exec(await firstLine)![1]!;
    const noise = await (await fetch(`${origin}/sim/noise`)).json();
    expect(noise).toMatchObject({ seed: 7, flipRate: 0.05, busy: true, busyExtraMs: 1, passRate: 0.85, spread: 1 });
    const done = exitCode(child);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
  });
});
