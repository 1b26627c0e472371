import { defineConfig } from 'vitest/config';
import { useFastTempRoot } from './test/support/test-temp-root.js';

// Throwaway files on a RAM-backed tmpfs when there is one with room (see test-temp-root.ts): set
// before the workers and the PostgreSQL cluster start, so that they and what they spawn inherit it.
useFastTempRoot();

/**
 * Two projects, both run by `npm test` / `npx vitest run` (pick one with `--project unit|e2e`):
 * - unit: everything in-process, including command tests (test/support/cli.ts runCliInProcess).
 * - e2e: what only a real process shows, by spawning the built dist/ (build first): exit codes and
 *   signals end to end (Ctrl-C, crashes, several processes at once), the bundle and its lazy chunks,
 *   the library entry, `promptctl-sim`, and one spawned smoke test per command family.
 */
const E2E = [
  'test/e2e/smoke.test.ts',
  'test/e2e/crash.test.ts',
  'test/e2e/code-cache.test.ts',
  'test/e2e/concurrency.test.ts',
  'test/e2e/eval-stop.test.ts',
  'test/e2e/confirm-signals.test.ts',
  'test/e2e/signal-after-outcome.test.ts',
  'test/e2e/eval-resume.test.ts',
  'test/e2e/library.test.ts',
  'test/e2e/library-load.test.ts',
  'test/e2e/cli-load-pg.test.ts',
  'test/e2e/postgres-*.test.ts',
  'test/registry/concurrency.test.ts',
  'test/sim/cli.test.ts',
  'test/browser/**/*.test.ts',
  // Not a process test: it swaps a core module for the code before a change (vi.mock), which takes
  // hold only in a module graph of its own. The unit forks share one graph (isolate: false), where
  // a file run earlier has loaded the real module already; the e2e threads isolate each file.
  'test/commands/schema-key-order.test.ts',
];

/** Test workers, kept from start to end (minWorkers below): the unit project's forks. */
const WORKERS = 3;
/** The e2e project's worker threads, running beside the unit forks (see `pool` below). */
const E2E_THREADS = 2;

const shared = {
  // Command tests run whole commands (and e2e tests child processes) against a simulator; give them room on 2 cores.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  setupFiles: ['./test/support/property-seed.ts', './test/support/temp-cleanup.ts'],
};

export default defineConfig({
  test: {
    // Much test time is spent waiting: on the simulator over loopback, on child processes, on
    // Chromium. More workers than cores keep both cores of a CI machine busy (measured on 2 cores:
    // 207 s with 2 workers, 106 s with 4, when tests waited more). Now that most of the suite's
    // time is CPU (spawned commands, in-process evals), three contend less than four: faster in
    // four of five paired runs on 2 cores (127-147 s against 131-155 s), with 10-20 s less CPU.
    maxWorkers: WORKERS,
    // Keep every worker to the end: with fewer minimum workers, tinypool 1.1 tears an idle worker
    // down twice when isolation is off and reports "Terminating worker thread" as an unhandled
    // rejection, failing a green run.
    minWorkers: WORKERS,
    // Each worker runs many files in one module graph instead of loading src/ afresh per file:
    // measured on 2 cores, the unit project took 142-171 s isolated and 91 s shared. Safe because
    // src/ keeps no module state beyond memoised package data (attack packs, package root, lazy
    // libraries), commands take their environment injected rather than from process.env, and
    // every file makes its own temp folders, servers and registries;
    // `vitest run --sequence.shuffle.files` checks it.
    // A larger young generation for the forks: the in-process commands and simulators allocate
    // fast and their objects die young; with V8's default semi-space a profiled fork spent 5 s of
    // its 125 s busy in garbage collection. Measured on 2 cores, in paired runs of the whole suite:
    // 255-260 s of CPU with 64 MB against 269-283 s without.
    // And a larger interrupt budget (8x V8's 66 KB of bytecode run before a function is optimised):
    // a test worker runs most functions a few times, and TurboFan's background threads compiled
    // them all the same, an eighth of the machine's CPU in a profile of the whole suite. Functions
    // that stay hot (fuzzing, statistics) are still optimised. Measured on 2 cores, the unit project
    // alone, in runs taken in turn: 129-136 s of CPU (16x: 131 s) against 144-146 s.
    poolOptions: { forks: { isolate: false, execArgv: ['--max-semi-space-size=64', `--interrupt-budget=${8 * 67_584}`] }, threads: { maxThreads: E2E_THREADS, minThreads: E2E_THREADS } },
    reporters: ['default', './test/support/summary-reporter.ts'],
    // One throwaway PostgreSQL cluster for the run, started when a test first asks; each PostgreSQL
    // test file works in databases of its own on it (test/support/postgres.ts).
    globalSetup: ['./test/support/postgres-global-setup.ts'],
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: E2E } },
      // Another pool, so the two projects run at once: with isolation off, vitest 3 runs one pool's
      // projects one after the other, waiting for the last unit file before the first e2e one (a
      // minute and more of one busy core at the end). The e2e files mostly wait on the processes
      // they spawn, so two threads beside the three forks fill the cores those waits leave idle.
      // Measured on 2 cores, the same CPU time either way: on an idle machine 191 s as one pool, 183 s
      // as two; sharing the machine with other work, 399 s and 310 s. Worker threads suit the e2e
      // files: they spawn the CLI, never chdir or exit.
      { test: { ...shared, name: 'e2e', include: E2E, pool: 'threads' as const } },
    ],
  },
});
