import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliAsync } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { UNGATED_CONFIG } from '../support/ungated-config.js';

/**
 * Report h46 #1: a SIGTERM right after a deploy or rollback printed its line (committed, recorded)
 * sometimes killed the process by the signal (exit 143): after the outcome the process was left to
 * end by Node's own teardown, which removes the signal handlers before the process is gone. A CI
 * retry of a rollback that "failed" with 143 stepped back twice. The process now ends by its own exit
 * with its handlers in place, and a signal after the outcome keeps the outcome's code and says so.
 * No timing: a preloaded watcher (test/support/exit-watch.cjs) sends the signal from the moment the
 * outcome line is written, and reports how the process ended.
 */

const WATCH = path.join(REPO_ROOT, 'test', 'support', 'exit-watch.cjs');

afterAll(() => cleanupTempDirs());

function watched(dir: string, args: string[], signalAfter?: string) {
  return runCliAsync(args, { cwd: dir, env: { NODE_OPTIONS: `--require ${WATCH}`, ...(signalAfter ? { EXIT_WATCH_SIGNAL_AFTER: signalAfter } : {}) } });
}

describe('a stop signal once the outcome is reported', () => {
  it('SIGTERM the moment "deployed" is printed: exit 0, not killed, with a note; the deploy stands', async () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', UNGATED_CONFIG);
    const r = await watched(dir, ['deploy', 'support-answer@1.0.0', '--env', 'staging', '--reason', 'x'], 'deployed');
    expect(r.signal, r.output).toBeNull();
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('deployed support-answer@1.0.0 to staging');
    expect(r.stderr).toContain('note: SIGTERM arrived after the command had finished: too late to stop it, its outcome stands (exit 0)');
    expect(r.stderr).toContain('[exit-watch] exit call 0, SIGTERM handled: true');
  });

  it('a rollback with no signal still ends by its own exit, its signal handlers in place until then', async () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', UNGATED_CONFIG);
    for (const v of ['1.0.0', '1.1.0']) expect((await watched(dir, ['deploy', `support-answer@${v}`, '--env', 'staging', '--reason', 'x'])).code).toBe(0);
    const r = await watched(dir, ['rollback', 'support-answer', '--env', 'staging', '--reason', 'x']);
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('rolled back');
    expect(r.stderr).toContain('[exit-watch] exit call 0, SIGTERM handled: true');
    expect(r.stderr).not.toContain('note:');
  });
});
