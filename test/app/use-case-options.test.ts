import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as app from '../../src/app/index.js';
import * as entry from '../../src/index.js';
import { InputError, InterruptedError } from '../../src/core/errors.js';
import { cleanupTempDirs, makeProject, openRegistryReadonly } from '../support/project.js';
import { fakeClock } from '../support/fake-clock.js';
import { markTested } from '../support/registry-cli.js';

/**
 * What a script hands a use case is checked before anything is read or written: an option it does
 * not know (a misspelt `dryRun`) and a value its schema refuses are an InputError (exit 2) naming
 * the option, never a silently different run, a raw ZodError or a TypeError.
 */

const ID = 'support-answer';
let cwd: string;
const clock = fakeClock();
const env = {};

beforeAll(() => {
  cwd = makeProject();
  markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
});
afterAll(() => cleanupTempDirs());

/** The error a call throws (or rejects with); undefined when it returns. */
async function thrownBy(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  return undefined;
}

async function inputError(call: () => unknown): Promise<InputError> {
  const e = await thrownBy(call);
  expect(e).toBeInstanceOf(InputError);
  expect((e as InputError).exitCode).toBe(2);
  expect((e as InputError).hint).toBeTruthy();
  return e as InputError;
}

type UseCase = (opts: never) => Promise<unknown>;
const CWD = Symbol('the project folder');
const call = (name: keyof typeof app, opts: unknown) => () => (app[name] as UseCase)(opts as never);

/** Exported functions that are helpers over data a use case returned, not use cases taking options. */
const HELPERS = new Set(['lintProject', 'comparableText', 'findSuite', 'outcomeExitCode', 'verdictOf', 'selectRuns', 'appContext', 'generateKeys', 'onRegistryNotice']);
const useCases = Object.entries(app)
  .filter(([name, v]) => typeof v === 'function' && /^[a-z]/.test(name) && !HELPERS.has(name))
  .map(([name]) => name as keyof typeof app);

describe('every use case of promptctl/app refuses an option it does not know', () => {
  it('covers the use cases the README and ARCHITECTURE.md name', () => {
    expect(useCases).toEqual(expect.arrayContaining(['runEval', 'compare', 'runCi', 'reportSources', 'deploy', 'promote', 'rollback', 'status', 'history', 'getPrompt', 'exportPrompts', 'auditVerify', 'auditHead', 'lint', 'list', 'diff', 'show', 'renderPrompt', 'newVersion', 'init', 'redteamGenerate', 'power']));
  });

  it.each(useCases)('%s({ cwd, bogus: 1 }) is an InputError naming "bogus"', async (name) => {
    const e = await inputError(call(name, { cwd, env, clock, bogus: 1 }));
    expect(e.message).toContain(`${name}: `);
    expect(e.message).toContain('unknown option "bogus"');
    expect(e.why).toMatch(/misspelt/);
  });
});

describe('a misspelt option is refused with the option it was probably meant to be', () => {
  it.each([
    ['deploy', { ref: `${ID}@1.1.0`, environment: 'staging', dryrun: true }, 'dryrun', 'dryRun'],
    ['runEval', { Refs: [`${ID}@1.0.0`] }, 'Refs', 'refs'],
    ['history', { limt: 5 }, 'limt', 'limit'],
    ['status', { enviroment: 'staging' }, 'enviroment', 'environment'],
    ['rollback', { id: ID, environment: 'staging', dryrun: true }, 'dryrun', 'dryRun'],
    ['lint', { onprogress: () => undefined }, 'onprogress', 'onProgress'],
    ['list', { cdw: '.' }, 'cdw', 'cwd'],
  ] as const)('%s with %o', async (name, opts, typed, meant) => {
    const e = await inputError(call(name, { cwd, env, clock, ...opts }));
    expect(e.message).toContain(`unknown option "${typed}"`);
    expect(e.hint).toContain(`did you mean ${meant} (for "${typed}")?`);
  });

  it('a deploy with a misspelt dryRun records nothing', async () => {
    await inputError(call('deploy', { cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'staging', dryrun: true }));
    expect((await app.history({ cwd, env })).events).toEqual([]);
    // The spelling the option has is a dry run: judged, not recorded.
    const dry = await app.deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'staging', dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.event).toBeUndefined();
  });
});

describe('a refused option value is an InputError naming the option, what was wrong and a hint', () => {
  it.each([
    ['history limit 0', 'history', { cwd: CWD, limit: 0 }, 'history: limit must be at least 1, not 0'],
    ['runEval refs as one string', 'runEval', { cwd: CWD, refs: `${ID}@1.0.0` }, `refs must be an array, not a string`],
    ['runEval a ref that is not a string', 'runEval', { cwd: CWD, refs: [`${ID}@1.0.0`, 1] }, 'refs[1] must be a string, not 1'],
    ['runEval repeat 0', 'runEval', { cwd: CWD, repeat: 0 }, 'repeat must be at least 1, not 0'],
    // A number option takes a number, or its text as the CLI passes it: never read `true` as 1 or `[3]` as 3.
    ['history limit true', 'history', { cwd: CWD, limit: true }, 'history: limit must be a number, not true'],
    ['runEval repeat in an array', 'runEval', { cwd: CWD, repeat: [3] }, 'repeat must be a number, not an array'],
    ['runEval concurrency null', 'runEval', { cwd: CWD, concurrency: null }, 'concurrency must be a number, not null'],
    ['redteamGenerate leakMinChars true', 'redteamGenerate', { cwd: CWD, id: ID, leakMinChars: true }, 'leakMinChars must be a number, not true'],
    ['runEval onProgress not a function', 'runEval', { cwd: CWD, onProgress: 'log' }, 'onProgress must be a function, not a string'],
    ['deploy without ref', 'deploy', { cwd: CWD, environment: 'staging' }, 'ref is missing: it must be a string'],
    ['deploy dryRun as a string', 'deploy', { cwd: CWD, ref: `${ID}@1.0.0`, environment: 'staging', dryRun: 'yes' }, 'dryRun must be true or false, not a string'],
    ['status(null)', 'status', null, 'status takes an options object, not null'],
    ['status()', 'status', undefined, 'status takes an options object, not undefined'],
    ['runEval({}) without cwd', 'runEval', {}, 'runEval: cwd is missing: it must be a string'],
    ['list with cwd a number', 'list', { cwd: 42 }, 'cwd must be a string, not 42'],
    ['list with an empty cwd', 'list', { cwd: '' }, 'cwd must have at least 1 character(s), not an empty string'],
    ['status with env an array', 'status', { cwd: CWD, env: ['A=1'] }, 'env must be an object of environment variables'],
    ['status with a signal that is not one', 'status', { cwd: CWD, signal: {} }, 'signal must be an AbortSignal, not an object'],
    ['status with a clock that is not an object', 'status', { cwd: CWD, clock: 'now' }, 'clock must be a Clock: an object with date(), now() and after(ms, fn), not a string'],
  ] as const)('%s', async (_, name, opts, message) => {
    // The table is built before the project exists: CWD stands for its folder.
    const e = await inputError(call(name, opts !== null && typeof opts === 'object' && 'cwd' in opts && opts.cwd === CWD ? { ...opts, cwd } : opts));
    expect(e.message).toContain(message);
  });

  // A value of the right type that a check refused is not called the wrong type ("…, not a string").
  it.each([
    ['history limit not in digits', 'history', { cwd: CWD, limit: 'abc' }, 'history: limit must be a whole number written in digits'],
    ['newVersion an unknown bump', 'newVersion', { cwd: CWD, id: ID, bump: 'huge' }, 'newVersion: bump must be one of "major", "minor", "patch"'],
    ['deploy ifActive with a "v"', 'deploy', { cwd: CWD, ref: `${ID}@1.0.0`, environment: 'staging', ifActive: 'v1.0.0' }, 'deploy: ifActive must be the version as it is recorded, 1.0.0 (no "v", no spaces)'],
    ['init a baseUrl that is no URL', 'init', { cwd: CWD, baseUrl: 'not a url' }, 'init: baseUrl is invalid (Invalid URL)'],
    ['status with a clock without now()', 'status', { cwd: CWD, clock: { date: () => new Date(), after: () => () => undefined } }, 'status: clock.now is missing: it must be a function (a Clock has date(), now() and after(ms, fn))'],
    // date() and now() called once when the options are checked: before, a date() that is no valid Date
    // passed, and the use case failed later as a TypeError or RangeError (no exit code).
    ['deploy with a clock whose date() returns text', 'deploy', { cwd: CWD, ref: `${ID}@1.0.0`, environment: 'staging', clock: { ...fakeClock(), date: (): unknown => '2025-01-01T00:00:00Z' } }, "deploy: clock must be a Clock whose date() returns a valid Date (this one's date() returned a string)"],
    ['deploy with a clock whose date() is invalid', 'deploy', { cwd: CWD, ref: `${ID}@1.0.0`, environment: 'staging', clock: { ...fakeClock(), date: (): unknown => new Date(NaN) } }, "deploy: clock must be a Clock whose date() returns a valid Date (this one's date() returned an invalid Date)"],
    ['status with a clock whose now() is no number', 'status', { cwd: CWD, clock: { ...fakeClock(), now: (): unknown => undefined } }, "status: clock must be a Clock whose now() returns a finite number of milliseconds (this one's now() returned undefined)"],
    // A variable's value is never echoed: env is where secrets live.
    ['status with a variable that is no string', 'status', { cwd: CWD, env: { SECRET_PIN: 1234 } }, 'status: env.SECRET_PIN must be a string (an environment variable), not a number'],
    ['init a baseUrl of another scheme', 'init', { cwd: CWD, baseUrl: 'ftp://x' }, 'init: baseUrl must be an http:// or https:// URL, such as http://127.0.0.1:8000/v1'],
    // Written into .promptrc.yaml, which lint would then refuse; and no server serves such a name.
    ['init a model with an escape sequence', 'init', { cwd: CWD, model: 'sim-model\u001b[8m' }, 'init: model must be a model name without control characters (it holds \\e (U+001B))'],
    ['init a model with a newline', 'init', { cwd: CWD, model: 'a\nb' }, 'init: model must be a model name without control characters (it holds \\n (U+000A))'],
    ['init a model with spaces at its ends', 'init', { cwd: CWD, model: ' sim-model ' }, 'init: model must be a model name without spaces at its ends'],
  ] as const)('%s', async (_, name, opts, message) => {
    const e = await inputError(call(name, { ...opts, cwd }));
    expect(e.message.split('\n')[0]).toBe(message);
  });

  it('never echoes a refused text: it may hold a secret', async () => {
    const secret = 'postgres://owner:S3cretPW@db.example.com/prompts';
    const e = await inputError(call('runEval', { cwd, refs: secret }));
    expect(e.message).toContain('refs must be an array, not a string');
    expect(JSON.stringify({ message: e.message, why: e.why, hint: e.hint })).not.toContain('S3cret');
  });

  it('a missing cwd says what to pass', async () => {
    const e = await inputError(call('deploy', { ref: `${ID}@1.0.0`, environment: 'staging' }));
    expect(e.message).toBe('deploy: cwd is missing: it must be a string');
    expect(e.hint).toMatch(/^cwd is the folder to work in .*process\.cwd\(\)/);
  });

  it('every problem is reported at once', async () => {
    const e = await inputError(call('history', { cwd, limit: 0, limt: 1, id: 3 }));
    expect(e.message).toBe('history: unknown option "limt"; id must be a string, not 3; limit must be at least 1, not 0');
  });

  it('a number option is typed as a number or its text, not as anything', async () => {
    // @ts-expect-error a boolean is no number of events (the option was typed `unknown`)
    const wrong: app.HistoryOptions = { limit: true };
    const options: app.HistoryOptions[] = [wrong, { limit: 2 }, { limit: '2' }];
    expect(options).toHaveLength(3);
    expect((await app.history({ cwd, env, limit: '1' })).events.length).toBeLessThanOrEqual(1);
  });

  it("the main entry's runEval and runCi say they take an options object, as the use cases do", async () => {
    for (const [name, call] of [['runEval', () => entry.runEval(null as never)], ['runCi', () => entry.runCi(null as never)]] as const) {
      const e = await thrownBy(call);
      expect(e).toBeInstanceOf(InputError);
      // Before, the entry spread null into its wordings: "cwd is missing".
      expect((e as InputError).message).toBe(`${name} takes an options object, not null`);
    }
  });

  it('process.env is an environment', async () => {
    const e = await thrownBy(() => app.list({ cwd, env: process.env, clock }));
    expect(e).toBeUndefined();
  });
});

describe('a report file asked for without the wording that writes it is refused, never silently not written', () => {
  it('runEval: junit or summary without reportFormats, before anything is read or sent', async () => {
    const e = await inputError(() => app.runEval({ cwd, env, clock, refs: [`${ID}@1.1.0`], junit: 'j.xml', summary: 's.md' }));
    expect(e.message).toBe('runEval: `junit` and `summary` given without `reportFormats`, so nothing would write them');
    expect(e.hint).toContain("import { runEval } from 'promptctl'");
  });

  it('runCi: junit without formats, and html without formats.html', async () => {
    expect((await inputError(() => app.runCi({ cwd, env, clock, junit: 'j.xml' }))).message).toBe('runCi: `junit` given without `formats`, so nothing would write it');
    const formats = { markdown: () => '', junit: () => '' };
    expect((await inputError(() => app.runCi({ cwd, env, clock, html: 'r.html', formats }))).message).toBe('runCi: `html` given without `formats.html`, so nothing would write it');
  });
});

describe('a signal already aborted stops a use case before it reads or writes anything', () => {
  it('deploy records nothing, and says why (exit 130; 143 for a SIGTERM reason)', async () => {
    const before = (await app.history({ cwd, env, clock })).events.length;
    const e = await thrownBy(() => app.deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'development', signal: AbortSignal.abort() }));
    expect(e).toBeInstanceOf(InterruptedError);
    expect((e as InterruptedError).exitCode).toBe(130);
    expect((e as InterruptedError).message).toBe('interrupted before it started: nothing was read or written');
    expect((await app.history({ cwd, env, clock })).events.length).toBe(before);
    const term = await thrownBy(() => app.deploy({ cwd, env, clock, ref: `${ID}@1.0.0`, environment: 'development', signal: AbortSignal.abort('SIGTERM') }));
    expect((term as InterruptedError).exitCode).toBe(143);
  });

  it('runEval records no run', async () => {
    const runs = () => {
      const db = openRegistryReadonly(cwd);
      try {
        return (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = runs();
    const e = await thrownBy(() => app.runEval({ cwd, env, clock, refs: [`${ID}@1.1.0`], signal: AbortSignal.abort() }));
    expect(e).toBeInstanceOf(InterruptedError);
    expect((e as InterruptedError).partial).toBeUndefined();
    expect(runs()).toBe(before);
  });
});
