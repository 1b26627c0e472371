import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as app from '../../src/app/index.js';
import { cleanupTempDirs, makeProject, makeTempDir } from '../support/project.js';
import { markTested, projectRegistryPath } from '../support/registry-cli.js';
import { bundleModule } from '../registry/harness.js';

/**
 * An application reading the registry through a read-only bind mount of the folder the release
 * manager deploys into on the host (README's first read-only medium). There the reader opens the
 * file as a snapshot, which sees the file as it was when opened; the host writes it in place (same
 * inode). Before, the reader served the first deployment for ever, never stale. Now each read
 * reopens a snapshot whose file changed, and while the host's write-ahead log holds changes the
 * snapshot cannot see, the last good value is served marked stale.
 *
 * Mounting needs root; the reader runs in a child process, because SQLite takes the URI file names
 * a snapshot needs only when promptctl loads it first (sqlite-driver.ts). The child reads when told
 * on stdin and moves its monotonic clock a minute each time, so the back-off after a failed read
 * (1 s) never decides what the next read does: no timing.
 */

const ID = 'support-answer';
let cwd: string;
let host: string;
let mounted: string | undefined;
let reader: ChildProcessWithoutNullStreams | undefined;
let answers: AsyncIterator<string>;

function mount(...args: string[]): boolean {
  return spawnSync('mount', args, { stdio: 'ignore' }).status === 0;
}

beforeAll(async () => {
  cwd = makeProject();
  markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
  await app.deploy({ cwd, env: {}, ref: `${ID}@1.0.0`, environment: 'staging' });
  host = projectRegistryPath(cwd);
  const ro = path.join(makeTempDir(), 'ro');
  mkdirSync(ro);
  if (process.getuid?.() !== 0 || !mount('--bind', path.dirname(host), ro)) return;
  mounted = ro;
  if (!mount('-o', 'remount,bind,ro', ro)) return;
  const work = makeTempDir();
  const library = await bundleModule(work, 'src/index.ts', 'library.mjs');
  const script = `
    const { openRegistry } = await import(${JSON.stringify(library)});
    let t = 0;
    const reader = openRegistry({ path: ${JSON.stringify(path.join(ro, path.basename(host)))}, clock: { date: () => new Date(), now: () => t } });
    for await (const line of (await import('node:readline')).createInterface({ input: process.stdin })) {
      if (line === 'close') break;
      t += 60_000;
      const a = await reader.getActive(${JSON.stringify(ID)}, 'staging');
      console.log(JSON.stringify({ version: a?.version, stale: a?.stale ?? false, staleReason: a?.staleReason }));
    }
    await reader.close();`;
  reader = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: work });
  answers = createInterface({ input: reader.stdout })[Symbol.asyncIterator]();
}, 60_000);

afterAll(async () => {
  // The reader holds the file open through the mount: it ends before the mount goes.
  if (reader && reader.exitCode === null) {
    const ended = new Promise((resolve) => reader!.once('close', resolve));
    reader.stdin.end('close\n');
    await ended;
  }
  if (mounted && spawnSync('umount', [mounted]).status !== 0) spawnSync('umount', ['-l', mounted]);
  cleanupTempDirs();
});

async function read(): Promise<{ version?: string; stale: boolean; staleReason?: string }> {
  reader!.stdin.write('read\n');
  const next = await answers.next();
  if (next.done) throw new Error('the reader ended');
  return JSON.parse(next.value);
}

describe('openRegistry({ path }) through a read-only bind mount the host deploys into', () => {
  it('sees each deploy and rollback on its next call, and serves the last value stale while the host has changes in its log', async (ctx) => {
    if (!reader) ctx.skip(); // needs root and mount
    expect(await read()).toEqual({ version: '1.0.0', stale: false });

    await app.deploy({ cwd, env: {}, ref: `${ID}@1.1.0`, environment: 'staging' });
    expect(await read()).toEqual({ version: '1.1.0', stale: false });

    // A writer on the host with a committed change still in its log (not checkpointed yet).
    const writer = new Database(host);
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE scratch (x)');
    const stale = await read();
    expect(stale).toMatchObject({ version: '1.1.0', stale: true });
    expect(stale.staleReason).toContain('is being written: its write-ahead log');
    writer.exec('DROP TABLE scratch');
    writer.close(); // The last connection: moves the log into the file.
    expect(await read()).toEqual({ version: '1.1.0', stale: false });

    await app.rollback({ cwd, env: {}, id: ID, environment: 'staging', reason: 'back' });
    expect(await read()).toEqual({ version: '1.0.0', stale: false });
  });
});
