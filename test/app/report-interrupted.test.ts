import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReportChunks, writeReportFile } from '../../src/app/report.js';
import { makeTempDir } from '../support/project.js';

/**
 * `report -o` under Ctrl-C: the report was made without a turn of the event loop, so the signal was
 * heard only afterwards and the command ended 0 with the whole file. Its writes now stop with the
 * signal's InterruptedError (exit 130 for SIGINT, 143 for SIGTERM), writing nothing.
 */

describe('report -o stopped by a signal', () => {
  it('a comparison made in one go: heard before the file is written, and nothing is', async () => {
    const dir = makeTempDir('promptctl-report-stop-');
    const controller = new AbortController();
    // Aborted as the HTML was made; the handler runs at the first turn of the event loop.
    setImmediate(() => controller.abort('SIGTERM'));
    const failed = writeReportFile(dir, 'compared.html', '<html></html>', '-o', controller.signal);
    await expect(failed).rejects.toMatchObject({ name: 'InterruptedError', exitCode: 143, message: 'interrupted while writing the report: no file was written' });
    expect(existsSync(path.join(dir, 'compared.html'))).toBe(false);
  });

  it('a run report written page by page: stops at the next page', async () => {
    const dir = makeTempDir('promptctl-report-stop-');
    const controller = new AbortController();
    async function* pages(): AsyncIterable<string> {
      yield '<html>';
      controller.abort('SIGINT');
      for (let i = 0; i < 1000; i++) yield `<p>${i}</p>`;
    }
    await expect(writeReportChunks(dir, 'run.html', pages(), '-o', controller.signal)).rejects.toMatchObject({ exitCode: 130 });
    expect(existsSync(path.join(dir, 'run.html'))).toBe(false);
  });

  it('without a signal, or one not aborted, writes as before', async () => {
    const dir = makeTempDir('promptctl-report-stop-');
    expect(await writeReportFile(dir, 'a.html', '<html></html>', '-o', new AbortController().signal)).toBe(path.join(dir, 'a.html'));
    expect(await writeReportFile(dir, 'b.html', '<html></html>', '-o')).toBe(path.join(dir, 'b.html'));
  });
});
