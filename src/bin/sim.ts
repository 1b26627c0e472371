#!/usr/bin/env node
/**
 * promptctl-sim: run the vLLM simulator as a process, for the demo, end-to-end tests and benchmarks.
 * The first stdout line is exactly `promptctl-sim listening on http://HOST:PORT/v1`, so a parent
 * process can read the port when it passes --port 0.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from '../sim/server.js';
import type { FaultRates } from '../sim/faults.js';
import type { NoiseOptions } from '../sim/noise.js';
import { modelSpecsFromFlags } from '../sim/models.js';

const USAGE = `usage: promptctl-sim [--port 8000] [--host 127.0.0.1] [--model sim-model[=ROOT] ...] [--latency-ms 0]
  [--adapter NAME=BASE[@ROOT] ...] [--model-weakness NAME=P ...]
  [--fault-500 p] [--fault-429 p] [--fault-hang p] [--fault-reset p] [--fault-truncated p] [--fault-garbage p] [--fault-no-usage p]
  [--fault-content-parts p] [--fault-content-object p] [--faults-after n]
  [--retry-after-s 1] [--seed n] [--api-key-env NAME] [--no-tokenize] [--max-model-len 8192]
  [--enable-auto-tool-choice --tool-call-parser NAME] (tool calls, as vLLM; see node_modules/promptctl/dist/sim/tools.js)
  noise mode (on when any --noise-* flag is given; see node_modules/promptctl/dist/sim/noise.js):
  [--noise-seed 0] [--noise-pass-rate 0.85] [--noise-spread 1] [--noise-flip-rate 0] [--noise-pass-drop 0]
  [--noise-jitter-ms 0] [--noise-busy] [--noise-busy-factor 2] [--noise-busy-extra-ms 0]
  [--noise-busy-from n] [--noise-busy-until n]`;

/**
 * A number flag. Counts, ports and seeds must be whole: the simulator used 2.5 as 3 (faults-after),
 * 1.5 as 1 (seeds) and published max_model_len 1.5, and an empty value read as 0 (`--port ''`).
 */
function num(name: string, raw: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER, whole = false): number {
  if (raw === undefined) return fallback;
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || v < min || v > max || (whole && !Number.isInteger(v))) throw new Error(`--${name} must be ${whole ? 'a whole number' : 'a number'} in [${min}, ${max}], got "${raw}"`);
  return v;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8000' },
      host: { type: 'string', default: '127.0.0.1' },
      model: { type: 'string', multiple: true },
      adapter: { type: 'string', multiple: true },
      'model-weakness': { type: 'string', multiple: true },
      'latency-ms': { type: 'string' },
      'fault-500': { type: 'string' },
      'fault-429': { type: 'string' },
      'fault-hang': { type: 'string' },
      'fault-reset': { type: 'string' },
      'fault-truncated': { type: 'string' },
      'fault-garbage': { type: 'string' },
      'fault-no-usage': { type: 'string' },
      'fault-content-parts': { type: 'string' },
      'fault-content-object': { type: 'string' },
      'faults-after': { type: 'string' },
      'retry-after-s': { type: 'string' },
      seed: { type: 'string' },
      'api-key-env': { type: 'string' },
      'no-tokenize': { type: 'boolean', default: false },
      'max-model-len': { type: 'string' },
      'enable-auto-tool-choice': { type: 'boolean', default: false },
      'tool-call-parser': { type: 'string' },
      'noise-seed': { type: 'string' },
      'noise-pass-rate': { type: 'string' },
      'noise-spread': { type: 'string' },
      'noise-flip-rate': { type: 'string' },
      'noise-pass-drop': { type: 'string' },
      'noise-jitter-ms': { type: 'string' },
      'noise-busy': { type: 'boolean' },
      'noise-busy-factor': { type: 'string' },
      'noise-busy-extra-ms': { type: 'string' },
      'noise-busy-from': { type: 'string' },
      'noise-busy-until': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const faults: FaultRates = {
    error500: num('fault-500', values['fault-500'], 0, 0, 1),
    rate429: num('fault-429', values['fault-429'], 0, 0, 1),
    hang: num('fault-hang', values['fault-hang'], 0, 0, 1),
    reset: num('fault-reset', values['fault-reset'], 0, 0, 1),
    truncated: num('fault-truncated', values['fault-truncated'], 0, 0, 1),
    garbage: num('fault-garbage', values['fault-garbage'], 0, 0, 1),
    noUsage: num('fault-no-usage', values['fault-no-usage'], 0, 0, 1),
    contentParts: num('fault-content-parts', values['fault-content-parts'], 0, 0, 1),
    contentObject: num('fault-content-object', values['fault-content-object'], 0, 0, 1),
  };
  const optional = (name: string, min = 0, max = Number.MAX_SAFE_INTEGER, whole = false): number | undefined => {
    const raw = (values as Record<string, unknown>)[name];
    return raw === undefined ? undefined : num(name, raw as string, 0, min, max, whole);
  };
  const noiseGiven = Object.keys(values).some((k) => k.startsWith('noise-'));
  const noise: NoiseOptions | undefined = noiseGiven
    ? {
        seed: optional('noise-seed', -(2 ** 31), 2 ** 32, true),
        passRate: optional('noise-pass-rate', 0, 1),
        spread: optional('noise-spread', 0, 1),
        flipRate: optional('noise-flip-rate', 0, 1),
        passDrop: optional('noise-pass-drop', 0, 1),
        jitterMs: optional('noise-jitter-ms'),
        busy: values['noise-busy'],
        busyFactor: optional('noise-busy-factor'),
        busyExtraMs: optional('noise-busy-extra-ms'),
        busyFrom: optional('noise-busy-from', 0, Number.MAX_SAFE_INTEGER, true),
        busyUntil: optional('noise-busy-until', 0, Number.MAX_SAFE_INTEGER, true),
      }
    : undefined;
  let apiKey: string | undefined;
  const keyEnv = values['api-key-env'];
  if (keyEnv !== undefined) {
    apiKey = process.env[keyEnv];
    // Name the variable, never its value.
    if (!apiKey) throw new Error(`--api-key-env ${keyEnv}: that environment variable is empty or unset`);
  }
  // vLLM's own rule: auto tool choice needs a parser, and a parser alone does nothing.
  if (values['enable-auto-tool-choice'] && !values['tool-call-parser']) throw new Error('--enable-auto-tool-choice needs --tool-call-parser NAME');
  const { names, specs } = modelSpecsFromFlags({ model: values.model, adapter: values.adapter, weakness: values['model-weakness'] });
  const sim = await startSimulator({
    ...(values['enable-auto-tool-choice'] ? { toolCallParser: values['tool-call-parser'] } : {}),
    host: values.host,
    port: num('port', values.port, 8000, 0, 65535, true),
    models: names,
    modelSpecs: specs,
    latencyMs: num('latency-ms', values['latency-ms'], 0),
    faults,
    faultsAfter: num('faults-after', values['faults-after'], 0, 0, Number.MAX_SAFE_INTEGER, true),
    retryAfterSeconds: num('retry-after-s', values['retry-after-s'], 1),
    seed: num('seed', values.seed, 0, -(2 ** 31), 2 ** 32, true),
    tokenize: !values['no-tokenize'],
    apiKey,
    maxModelLen: num('max-model-len', values['max-model-len'], 8192, 1, Number.MAX_SAFE_INTEGER, true),
    noise,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Printed last: a parent that reads this line may signal us at once, so the handlers come first.
  process.stdout.write(`promptctl-sim listening on ${sim.url}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`promptctl-sim: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
  process.exit(2);
});
