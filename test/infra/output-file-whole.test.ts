import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutputChunks, writeOutputFile } from '../../src/infra/output-file.js';
import { makeTempDir } from '../support/project.js';

/**
 * A write that fails halfway (a full disk) leaves the previous file whole, or no file at all, and
 * no temporary file behind. The failure is raised by the chunks themselves, as the disk would raise
 * it from the second write: ENOSPC without a full disk.
 */

function folder(): string {
  return makeTempDir('promptctl-whole-');
}

async function* diskFullAfterOneChunk(): AsyncIterable<string> {
  yield '<html><body>half a report';
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

describe('an output file is written whole or not at all', () => {
  it.each([
    ['replacing a file', false, 'old report\n'],
    ['creating a file', false, undefined],
    ['creating a file that must not exist (new, redteam generate)', true, undefined],
  ])('%s: a full disk halfway keeps what was there, and leaves no temporary file', async (_name, exclusive, before) => {
    const dir = folder();
    const file = path.join(dir, 'report.html');
    if (before !== undefined) writeFileSync(file, before);
    const failed = writeOutputChunks(dir, 'report.html', diskFullAfterOneChunk(), { option: '-o', exclusive });
    await expect(failed).rejects.toMatchObject({ exitCode: 3, message: `cannot write -o ${file}: no space left on the device (ENOSPC)` });
    expect(readdirSync(dir)).toEqual(before === undefined ? [] : ['report.html']);
    if (before !== undefined) expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('the hint says what to do for the command at hand: run it again, or write the report again', async () => {
    const dir = folder();
    await expect(writeOutputChunks(dir, 'x.json', diskFullAfterOneChunk(), { option: '-o' })).rejects.toMatchObject({ hint: 'free space on that disk (or choose another path for -o), then run the command again.' });
    await expect(writeOutputChunks(dir, 'x.html', diskFullAfterOneChunk(), { option: '-o', again: 'write the report again' })).rejects.toMatchObject({ hint: expect.stringMatching(/then write the report again\.$/) });
  });

  it('a replaced file keeps its permissions; a file reached through a link is replaced and the link stays a link', () => {
    const dir = folder();
    const real = path.join(dir, 'real.xml');
    writeFileSync(real, 'old');
    chmodSync(real, 0o640);
    symlinkSync('real.xml', path.join(dir, 'link.xml'));
    writeOutputFile(dir, 'link.xml', 'new');
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(['link.xml', 'real.xml']);
  });

  it('an exclusive write refuses an existing file and leaves it alone', () => {
    const dir = folder();
    writeFileSync(path.join(dir, '1.0.0.yaml'), 'mine');
    expect(() => writeOutputFile(dir, '1.0.0.yaml', 'theirs', { exclusive: true })).toThrow(/already exists/);
    expect(readFileSync(path.join(dir, '1.0.0.yaml'), 'utf8')).toBe('mine');
    expect(readdirSync(dir)).toEqual(['1.0.0.yaml']);
  });
});

describe('a file written chunk by chunk, stopped by a signal (report -o and Ctrl-C)', () => {
  it('stops at the next chunk once the signal aborts, keeps what was there, and leaves nothing half-written', async () => {
    const dir = folder();
    const file = path.join(dir, 'report.html');
    writeFileSync(file, 'old report\n');
    const controller = new AbortController();
    let asked = 0;
    async function* chunks(): AsyncIterable<string> {
      for (; asked < 1000; ) {
        asked++;
        // The signal comes while the second chunk is made; the chunks never yield to the event loop themselves.
        if (asked === 2) controller.abort('SIGINT');
        yield `chunk ${asked}\n`;
      }
    }
    const stopped = new Error('stopped');
    await expect(writeOutputChunks(dir, 'report.html', chunks(), { option: '-o', stop: { signal: controller.signal, stopped: () => stopped } })).rejects.toBe(stopped);
    expect(asked).toBe(2);
    expect(readdirSync(dir)).toEqual(['report.html']);
    expect(readFileSync(file, 'utf8')).toBe('old report\n');
  });
});
