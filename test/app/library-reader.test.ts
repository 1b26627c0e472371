import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';
import * as app from '../../src/app/index.js';
import * as errors from '../../src/core/errors.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { fakeClock } from '../support/fake-clock.js';
import { markTested, projectRegistryPath } from '../support/registry-cli.js';

/**
 * The reader an application opens with `openRegistry`, used the wrong way: a path with nothing at
 * it, a call after close(). Each is a typed error that says what to do, never a TypeError or a
 * hint about a folder to make writable and a config the library never reads.
 */

const ID = 'support-answer';
let cwd: string;

beforeAll(async () => {
  cwd = makeProject();
  markTested(cwd, `${ID}@1.0.0`);
  await app.deploy({ cwd, env: {}, clock: fakeClock(), ref: `${ID}@1.0.0`, environment: 'staging' });
});
afterAll(() => cleanupTempDirs());

async function rejection(call: () => Promise<unknown>): Promise<errors.PromptctlError> {
  const e = await call().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(errors.PromptctlError);
  return e as errors.PromptctlError;
}

describe('what getActive returns, as its types (ActivePrompt) declare it', () => {
  it('the author, every variable with untrusted, and the request settings the deploy recorded', async () => {
    const reader = library.openRegistry({ path: projectRegistryPath(cwd) });
    const prompt = await reader.getActive(ID, 'staging');
    await reader.close();
    const content: library.ActivePromptContent = prompt!.content;
    expect(typeof content.author).toBe('string');
    expect(content.variables?.length).toBeGreaterThan(0);
    expect(content.variables!.map((v) => typeof v.untrusted)).toEqual(content.variables!.map(() => 'boolean'));
    expect(typeof prompt!.served?.request.model).toBe('string');
  });
});

describe('a registry reader after close()', () => {
  it.each([
    ['getActive', (r: library.PromptRegistryReader) => r.getActive(ID, 'staging')],
    ['exportEnv', (r: library.PromptRegistryReader) => r.exportEnv('staging')],
  ])('%s is an InputError saying the reader is closed', async (_, read) => {
    const reader = library.openRegistry({ path: projectRegistryPath(cwd) });
    expect((await reader.getActive(ID, 'staging'))?.version).toBe('1.0.0');
    await reader.close();
    const e = await rejection(() => read(reader));
    expect(e).toBeInstanceOf(errors.InputError);
    expect(e.message).toBe('the registry reader is closed');
    expect(e.hint).toMatch(/openRegistry again/);
  });

  it('a cached value is not served after close() either', async () => {
    const reader = library.openRegistry({ path: projectRegistryPath(cwd), cacheTtlMs: 60_000, clock: fakeClock() });
    await reader.getActive(ID, 'staging');
    await reader.close();
    expect((await rejection(() => reader.getActive(ID, 'staging'))).message).toBe('the registry reader is closed');
  });

  it('a second close() resolves', async () => {
    const reader = library.openRegistry({ path: projectRegistryPath(cwd) });
    await reader.close();
    await expect(reader.close()).resolves.toBeUndefined();
  });
});

describe('openRegistry({ path }) with nothing at the path', () => {
  it.each([
    ['a missing file in an existing folder', () => path.join(cwd, '.promptctl', 'missing.db')],
    ['a misspelt relative path', () => 'promptctl/registry.db'],
  ])('%s is an InputError naming the path, not a folder to create', (_, file) => {
    let e: unknown;
    try {
      library.openRegistry({ path: file() });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(errors.InputError);
    const err = e as errors.InputError;
    expect(err.message).toBe(`no registry at ${file()}`);
    expect(err.why).toContain(path.resolve(file()));
    expect(err.hint).toContain('.promptctl/registry.db');
    // The library reads no .promptrc.yaml: its hints name no config field.
    expect(err.hint).not.toMatch(/writable|registry\.path|promptrc/);
  });
});

describe('openRegistry options used the wrong way are an InputError naming the option', () => {
  const thrown = (opts: unknown): errors.InputError => {
    let e: unknown;
    try {
      library.openRegistry(opts as Parameters<typeof library.openRegistry>[0]);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(errors.InputError);
    expect((e as errors.InputError).hint).toBeTruthy();
    return e as errors.InputError;
  };
  const file = () => projectRegistryPath(cwd);

  it.each([
    ['no options', undefined, 'openRegistry: its options must be an object'],
    ['neither path nor url', {}, 'openRegistry: neither path nor url given'],
    // `url: process.env.PROMPTCTL_REGISTRY_URL` with the variable unset, as the README writes it.
    ['url undefined', { url: undefined }, 'openRegistry: url is undefined (an environment variable such as PROMPTCTL_REGISTRY_URL left unset?)'],
    ['both', { path: 'a.db', url: 'postgres://h/db' }, 'openRegistry: both path and url given'],
    ['a path that is not text', { path: 42 }, 'openRegistry: path must be a non-empty string'],
    ['a negative cacheTtlMs', { url: 'postgres://h/db', cacheTtlMs: -1 }, 'openRegistry: cacheTtlMs must be a number of milliseconds, 0 or more'],
    ['environments as a string', { url: 'postgres://h/db', environments: 'production' }, 'openRegistry: environments must be an array of environment names'],
    ['a clock without date()', { url: 'postgres://h/db', clock: {} }, 'openRegistry: clock must be an object with a date() method'],
    // Called once when the options are checked: before, a date() that is no valid Date failed after a read, as a TypeError or RangeError.
    ['a clock whose date() returns a number', { url: 'postgres://h/db', clock: { date: () => Date.now() } }, 'openRegistry: clock.date() must return a valid Date (this one returned a number)'],
    ['a clock whose date() returns text', { url: 'postgres://h/db', clock: { date: () => '2025-01-01T00:00:00Z' } }, 'openRegistry: clock.date() must return a valid Date (this one returned a string)'],
    ['a clock whose date() is invalid', { url: 'postgres://h/db', clock: { date: () => new Date(NaN) } }, 'openRegistry: clock.date() must return a valid Date (this one returned an invalid Date)'],
    ['a clock whose now() returns NaN', { url: 'postgres://h/db', clock: { date: () => new Date(), now: () => NaN } }, 'openRegistry: clock.now() must return a finite number of monotonic milliseconds (this one returned NaN)'],
  ])('%s', (_, opts, message) => {
    expect(thrown(opts).message).toBe(message);
  });

  it('a misspelt option names the one meant, and reads nothing', () => {
    expect(thrown({ path: file(), cacheTtl: 5 }).message).toBe('openRegistry: unknown option "cacheTtl" (did you mean "cacheTtlMs"?)');
  });

  // What the CLI refuses as registry.path by its kind (exit 2), never "damaged" (exit 3) with sqlite3 .recover.
  it.each([
    ['a folder', () => path.dirname(file()), 'is a folder'],
    ['a YAML file', () => path.join(cwd, '.promptrc.yaml'), 'is a YAML file'],
    ['a device', () => '/dev/null', 'is a device or special file, not a regular file'],
    ['a CSV file', () => { writeFileSync(path.join(cwd, 'rows.csv'), 'id,question\na,hi\n'); return path.join(cwd, 'rows.csv'); }, 'is a CSV file, not a SQLite database'],
  ])('%s at path names the path and the registry file to pass, not a disk fault', (_, at, what) => {
    const e = thrown({ path: at() });
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`openRegistry: path ${at()} ${what}`);
    expect(e.hint).toContain('.promptctl/registry.db');
    expect(`${e.why} ${e.hint}`).not.toMatch(/recover|registry\.path|promptrc|--/);
  });
});

describe('a path beside a url left unset', () => {
  it('reads the file: the undefined url is no url (before, a TypeError)', async () => {
    const reader = library.openRegistry({ path: projectRegistryPath(cwd), url: process.env.PROMPTCTL_TEST_UNSET_ENV });
    try {
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0' });
    } finally {
      await reader.close();
    }
  });
});

describe('a prompt id the registry never registered', () => {
  it('is an UnknownPromptError (exit 2) naming the known ids and the one meant; a registered id with nothing active is undefined', async () => {
    const reader = library.openRegistry({ path: projectRegistryPath(cwd), environments: ['staging', 'production'] });
    try {
      const e = await rejection(() => reader.getActive('support-answr', 'staging'));
      expect(e).toBeInstanceOf(library.UnknownPromptError);
      expect(e).toMatchObject({ exitCode: 2, promptId: 'support-answr', known: [ID], message: 'unknown prompt "support-answr" (did you mean "support-answer"?)' });
      expect(e.hint).not.toMatch(/promptrc|--/);
      expect(await reader.getActive(ID, 'production')).toBeUndefined();
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0' });
    } finally {
      await reader.close();
    }
  });
});

describe('the error classes a script catches are exported where the README says', () => {
  it.each(['PromptctlError', 'InputError', 'UnavailableError', 'InterruptedError', 'GateError', 'InternalError', 'ExitCode'] as const)('%s from promptctl and promptctl/app', (name) => {
    expect((library as Record<string, unknown>)[name]).toBe(errors[name]);
    expect((app as Record<string, unknown>)[name]).toBe(errors[name]);
  });
});

describe('what an application passes the reader', () => {
  it.each([
    ['an environment variable left unset', (r: library.PromptRegistryReader) => r.getActive(ID, process.env.PROMPTCTL_TEST_UNSET_ENV as string), 'getActive needs an environment name, got undefined'],
    ['an empty id', (r: library.PromptRegistryReader) => r.getActive('', 'staging'), 'getActive needs a prompt id, got an empty string'],
    ['an id that is not a string', (r: library.PromptRegistryReader) => r.getActive({} as string, 'staging'), 'getActive needs a prompt id, got object'],
    ['exportEnv without an environment', (r: library.PromptRegistryReader) => r.exportEnv(undefined as unknown as string), 'exportEnv needs an environment name, got undefined'],
  ])('%s is an InputError, never the newest event of any environment', async (_, read, message) => {
    // A draft evaluated after the deploy: before, getActive(id, undefined) served its mark as "active".
    markTested(cwd, `${ID}@1.1.0`);
    const reader = library.openRegistry({ path: projectRegistryPath(cwd) });
    try {
      const e = await rejection(() => read(reader));
      expect(e).toBeInstanceOf(errors.InputError);
      expect(e.message).toBe(message);
      expect(e.hint).toBeTruthy();
    } finally {
      await reader.close();
    }
  });

  it('each read is its own copy: what one request appends to the messages is not in the next one', async () => {
    const reader = library.openRegistry({ path: projectRegistryPath(cwd), cacheTtlMs: 60_000, clock: fakeClock() });
    try {
      const first = (await reader.getActive(ID, 'staging'))!;
      const count = first.content.messages.length;
      first.content.messages.push({ role: 'user', content: 'previous customer: my SSN is 123-45-6789' });
      const second = (await reader.getActive(ID, 'staging'))!;
      expect(second.content.messages).toHaveLength(count);
      delete (await reader.exportEnv('staging')).prompts[ID];
      expect((await reader.exportEnv('staging')).prompts[ID]?.version).toBe('1.0.0');
    } finally {
      await reader.close();
    }
  });
});

