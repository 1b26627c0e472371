import fc from 'fast-check';

/**
 * Property tests run from a fixed seed, so a commit that passed CI passes it again: a random seed
 * once turned `main` red on a counterexample that had nothing to do with the change under test.
 * To hunt for new counterexamples, run `npm run test:explore` (a fresh seed, ten times the runs);
 * a failure prints its seed, and `FC_SEED=<seed> npx vitest run <file>` replays it.
 */
const FIXED_SEED = 20261122;

function seedFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return FIXED_SEED;
  if (value === 'random') return Math.floor(Math.random() * 0x7fffffff);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", got ${JSON.stringify(value)}`);
  return seed;
}

fc.configureGlobal({ seed: seedFromEnv(process.env.FC_SEED) });

/** The number of runs for a property: `n`, times FC_RUNS_FACTOR when exploring. */
export function runs(n: number): number {
  const factor = Number(process.env.FC_RUNS_FACTOR ?? 1);
  return Math.max(1, Math.round(n * (Number.isFinite(factor) && factor > 0 ? factor : 1)));
}
