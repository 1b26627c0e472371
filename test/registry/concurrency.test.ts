import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { bundleRegistry, makeTempDir, runNode, writeScript, type ChildResult } from './harness.js';

/**
 * Several real processes on one registry file: read-decide-write must be atomic across them,
 * SQLITE_BUSY must never escape, and a process killed mid-transaction must leave no trace.
 */

let tmp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  tmp = makeTempDir('promptctl-concurrency-');
  await bundleRegistry(tmp.dir);
});
afterAll(async () => tmp.cleanup());

// Waits for a start signal (so all children hit the file at once), opens a fresh registry (so
// they also race on the migration), then appends events that depend on what it just read.
const APPENDER = `
import { existsSync, writeSync } from 'node:fs';
import { openSqliteRegistry } from './registry.mjs';
const [path, go, id, count] = process.argv.slice(2);
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
writeSync(1, 'ready\\n');
while (!existsSync(go)) pause(5);
const errors = [];
let appended = 0;
let reg;
try {
  reg = openSqliteRegistry({ path });
  for (let i = 0; i < Number(count); i++) {
    try {
      await reg.transaction(async (tx) => {
        const [last] = await tx.listEvents({ limit: 1 });
        pause(1); // widen the window between the read and the write
        await tx.appendEvent({
          env: 'production', promptId: 'support', version: id + '.' + i + '.0',
          previousVersion: last ? last.version : null, action: 'deploy', actor: 'child-' + id, reason: null,
        });
      });
      appended++;
    } catch (err) {
      errors.push({ code: err.code ?? null, kind: err.kind ?? null, message: String(err.message) });
    }
  }
} catch (err) {
  errors.push({ code: err.code ?? null, kind: err.kind ?? null, message: String(err.message) });
} finally {
  await reg?.close();
}
writeSync(1, 'result ' + JSON.stringify({ appended, errors }) + '\\n');
`;

// Appends inside a transaction, says so, then hangs before COMMIT until it is killed.
const CRASHER = `
import { writeSync } from 'node:fs';
import { openSqliteRegistry } from './registry.mjs';
const [path] = process.argv.slice(2);
const reg = openSqliteRegistry({ path });
await reg.transaction(async (tx) => {
  await tx.appendEvent({ env: 'production', promptId: 'support', version: '9.9.9', previousVersion: '1.2.0', action: 'deploy', actor: 'doomed', reason: null });
  await tx.markTested({ promptId: 'support', version: '9.9.9', contentHash: 'h', model: 'm', actor: 'doomed', suites: [] });
  writeSync(1, 'inside-transaction\\n');
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
});
`;

describe('several processes on one registry', () => {
  it('8 processes × 25 read-decide-write appends: 200 events, contiguous, chained, never busy', async () => {
    const path = join(tmp.dir, 'many', 'registry.db');
    const go = join(tmp.dir, 'go');
    const script = writeScript(tmp.dir, 'appender.mjs', APPENDER);
    const children = 8;
    let ready = 0;
    const results: Array<Promise<ChildResult>> = [];
    for (let id = 1; id <= children; id++) {
      results.push(
        runNode(script, [path, go, String(id), '25'], {
          onStdout: (all) => {
            if (all === 'ready\n' && ++ready === children) writeFileSync(go, 'go');
          },
        }),
      );
    }
    const done = await Promise.all(results);

    for (const child of done) {
      expect(child.stderr).toBe('');
      expect(child.code).toBe(0);
      const line = child.stdout.split('\n').find((l) => l.startsWith('result '));
      expect(JSON.parse(line!.slice('result '.length))).toEqual({ appended: 25, errors: [] });
      expect(child.stdout).not.toMatch(/SQLITE_BUSY|locked/);
    }

    const reg = openSqliteRegistry({ path });
    try {
      const events = await reg.listEvents();
      expect(events).toHaveLength(200);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      // Each child decided from what it read: every event names the one before it. A lost
      // update (two processes reading the same "last") would break this.
      events.forEach((e, i) => expect(e.previousVersion).toBe(i === 0 ? null : events[i - 1]!.version));
      expect(new Set(events.map((e) => e.actor)).size).toBe(children);
      expect(await reg.verifyChain()).toEqual({ ok: true, events: 200 });
    } finally {
      await reg.close();
    }
  });

  it('a process killed with SIGKILL inside a deploy transaction leaves no trace', async () => {
    const path = join(tmp.dir, 'crash', 'registry.db');
    const reg = openSqliteRegistry({ path });
    try {
      for (const version of ['1.0.0', '1.1.0', '1.2.0']) {
        await reg.appendEvent({ env: 'production', promptId: 'support', version, previousVersion: null, action: 'deploy', actor: 'ana', reason: null });
      }
      const before = await reg.listEvents();
      const script = writeScript(tmp.dir, 'crasher.mjs', CRASHER);
      let killedInside = false;
      const child = await runNode(script, [path], {
        onStdout: (all, kill) => {
          if (all.includes('inside-transaction\n') && !killedInside) {
            killedInside = true;
            kill();
          }
        },
      });
      expect(killedInside).toBe(true);
      expect(child.signal).toBe('SIGKILL');

      expect(await reg.listEvents()).toEqual(before);
      expect(await reg.getTestedMark('support', '9.9.9', 'h', 'm')).toBeUndefined();
      expect(await reg.verifyChain()).toEqual({ ok: true, events: 3 });
      // The dead process's lock is gone: the next deploy goes through and chains on.
      const next = await reg.appendEvent({ env: 'production', promptId: 'support', version: '1.3.0', previousVersion: '1.2.0', action: 'deploy', actor: 'ana', reason: null });
      expect(next.seq).toBe(4);
      expect(next.prevHash).toBe(before[2]!.hash);
      expect(await reg.verifyChain()).toEqual({ ok: true, events: 4 });
    } finally {
      await reg.close();
    }
  });
});
