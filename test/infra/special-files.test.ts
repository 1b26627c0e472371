import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadConfig } from '../../src/infra/project-config.js';
import { readVarsFile } from '../../src/infra/vars-file.js';
import { readFileBytes } from '../../src/infra/yaml-file.js';
import { runCliInProcess } from '../support/cli.js';
import { makeFifo, releaseFifos } from '../support/fifo.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';

/**
 * A named pipe or device where promptctl reads a whole file (the config, a --vars-file) is refused
 * by its kind before it is opened: opening a pipe blocked the process where neither Ctrl-C nor
 * SIGTERM reached it, and a device such as /dev/zero never ends. A --vars-file has the project
 * files' 1 MiB limit.
 */

afterAll(() => {
  releaseFifos();
  cleanupTempDirs();
});

const dir = realpathSync(makeTempDir('promptctl-special-files-'));
writeFileSync(path.join(dir, 'vars.yaml'), 'question: hi\n');
mkdirSync(path.join(dir, 'folder'));
makeFifo(path.join(dir, 'pipe.yaml'));
symlinkSync('pipe.yaml', path.join(dir, 'to-pipe.yaml'));
writeFileSync(path.join(dir, 'big.yaml'), `question: ${'x'.repeat(1024 * 1024)}\n`);

describe('readFileBytes by the kind of the path', () => {
  const table: Array<{ what: string; file: string; bytes?: string; message?: RegExp }> = [
    { what: 'a regular file', file: 'vars.yaml', bytes: 'question: hi\n' },
    { what: 'a named pipe', file: 'pipe.yaml', message: /^is not a regular file \(a device, socket or pipe\)/ },
    { what: 'a link to a named pipe', file: 'to-pipe.yaml', message: /^is not a regular file \(a device, socket or pipe\)/ },
    { what: 'a character device', file: '/dev/null', message: /^is not a regular file \(a device, socket or pipe\)/ },
    { what: 'a folder', file: 'folder', message: /EISDIR.*a folder is where the file should be/ },
    { what: 'a file over 1 MiB', file: 'big.yaml', message: /the limit is 1048576 \(1 MiB\)/ },
  ];
  it.each(table)('$what', ({ file, bytes, message }) => {
    const read = readFileBytes(path.resolve(dir, file), file);
    if (bytes !== undefined) return expect(read.bytes?.toString('utf8')).toBe(bytes);
    expect(read.bytes).toBeUndefined();
    expect(read.problems).toHaveLength(1);
    expect(read.problems[0]).toMatchObject({ file, line: 1, col: 1 });
    expect(read.problems[0]!.message).toMatch(message!);
  });
});

describe('readVarsFile', () => {
  const table: Array<{ what: string; file: string; problem: RegExp; hint: RegExp }> = [
    { what: 'a named pipe', file: 'pipe.yaml', problem: /^pipe\.yaml:1:1 is not a regular file/, hint: /a pipe \(\/dev\/stdin in a pipeline/ },
    { what: 'a device', file: '/dev/null', problem: /^\/dev\/null:1:1 is not a regular file/, hint: /--var name=value/ },
    { what: 'a file over 1 MiB', file: 'big.yaml', problem: /^big\.yaml:1:1 file is \d+ bytes; the limit is 1048576/, hint: /check the path/ },
    { what: 'a missing file', file: 'nope.yaml', problem: /^nope\.yaml:1:1 cannot read file: ENOENT/, hint: /check the path/ },
  ];
  it.each(table)('$what: exit 2 naming the file', ({ file, problem, hint }) => {
    let err: unknown;
    try {
      readVarsFile(dir, file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`cannot read --vars-file ${file}`);
    expect(`${e.problems[0]!.file}:${e.problems[0]!.line}:${e.problems[0]!.col} ${e.problems[0]!.message}`).toMatch(problem);
    expect(e.hint).toMatch(hint);
  });

  it('reads a regular file', () => {
    expect(readVarsFile(dir, 'vars.yaml').values).toEqual({ question: 'hi' });
  });
});

describe('a config that is a named pipe', () => {
  it('is a problem of .promptrc.yaml, not a hang', () => {
    const root = realpathSync(makeTempDir('promptctl-special-config-'));
    makeFifo(path.join(root, '.promptrc.yaml'));
    const loaded = loadConfig(root);
    expect(loaded.config).toBeUndefined();
    expect(loaded.problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`)).toEqual([expect.stringMatching(/^\.promptrc\.yaml:1:1 is not a regular file \(a device, socket or pipe\)/)]);
  });

  it('render --vars-file on a pipe exits 2 naming it', async () => {
    const root = makeProject({ prefix: 'promptctl-special-render-' });
    makeFifo(path.join(root, 'v.yaml'));
    const r = await runCliInProcess(['render', 'support-answer@1.1.0', '--vars-file', 'v.yaml'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('v.yaml:1:1 is not a regular file (a device, socket or pipe)');
  });
});
