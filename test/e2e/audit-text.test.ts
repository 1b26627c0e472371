import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { canonicalJson, sha256Hex } from '../../src/core/canonical.js';
import { markTested, readEvents, registryFingerprint, tamper, withProjectRegistry } from '../support/registry-cli.js';

/**
 * The audit trail is printed one event per line, so nothing may forge a line or smuggle a terminal
 * escape into it: control characters in --actor, --reason or a derived actor are refused (exit 2,
 * naming where the value came from), and values already in a registry are printed escaped.
 */

afterAll(() => cleanupTempDirs());

const FORGED = 'x\n#99 2026 deploy support-answer@9.9.9 in production by ceo';
const ESC = '\u001b[31mspoof';

let dir: string;
beforeAll(async () => {
  dir = makeProject();
  markTested(dir, 'support-answer@1.0.0', 'support-answer@1.1.0');
  for (const v of ['1.0.0', '1.1.0']) {
    const r = await runCliInProcess(['deploy', `support-answer@${v}`, '--env', 'staging', '--actor', 'release@example.com'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
  }
});

// Each row: arguments, extra environment, and what the error must name.
const REFUSED: Array<[string, string[], Record<string, string>, string]> = [
  ['deploy --actor with a newline', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', FORGED], {}, '--actor'],
  ['deploy --reason with ESC', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'a@b.c', '--reason', ESC], {}, '--reason'],
  ['deploy --dry-run --reason with ESC', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--dry-run', '--reason', ESC], {}, '--reason'],
  ['deploy --actor with a C1 CSI', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'a\u009b31m'], {}, '--actor'],
  ['deploy --reason with a tab', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'a@b.c', '--reason', 'a\tb'], {}, '--reason'],
  ['deploy with PROMPTCTL_ACTOR holding a newline', ['deploy', 'support-answer@1.0.0', '--env', 'development'], { PROMPTCTL_ACTOR: FORGED }, 'PROMPTCTL_ACTOR'],
  ['deploy with GITHUB_ACTOR holding ESC', ['deploy', 'support-answer@1.0.0', '--env', 'development'], { PROMPTCTL_ACTOR: '', GITHUB_ACTOR: ESC }, 'GITHUB_ACTOR'],
  ['rollback --reason with a newline', ['rollback', 'support-answer', '--env', 'staging', '--actor', 'a@b.c', '--reason', 'ok\nby ceo'], {}, '--reason'],
  ['promote --actor with ESC', ['promote', 'support-answer', '--from', 'staging', '--to', 'production', '--actor', ESC, '--reason', 'r'], {}, '--actor'],
];

describe('control characters in the audit trail', () => {
  it.each(REFUSED)('%s: exit 2, nothing recorded', async (_name, args, env, names) => {
    const before = registryFingerprint(dir);
    const r = await runCliInProcess(args, { cwd: dir, env });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`${names} contains a control character`);
    expect(r.stderr).not.toContain('\u001b');
    expect(registryFingerprint(dir)).toBe(before);
  });

  // Each row: arguments, extra environment, and the start of the error.
  const UNREADABLE: Array<[string, string[], Record<string, string>, string]> = [
    ['--actor with a zero-width space', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'alice\u200b@example.com'], {}, '--actor contains an invisible or direction-changing character: U+200B'],
    ['--reason with a right-to-left override', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'a@b.c', '--reason', 'hotfix \u202e exe.gnp'], {}, '--reason contains an invisible or direction-changing character: U+202E'],
    ['--reason with a joiner between ASCII letters', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'a@b.c', '--reason', 'approved by bob\u200dsmith'], {}, '--reason contains an invisible or direction-changing character: U+200D'],
    ['PROMPTCTL_ACTOR ending in a joiner', ['deploy', 'support-answer@1.0.0', '--env', 'development'], { PROMPTCTL_ACTOR: 'मनोज्\u200d' }, 'PROMPTCTL_ACTOR contains an invisible or direction-changing character: U+200D'],
    ['PROMPTCTL_ACTOR with a word joiner', ['deploy', 'support-answer@1.0.0', '--env', 'development'], { PROMPTCTL_ACTOR: 'bob\u2060@example.com' }, 'PROMPTCTL_ACTOR contains an invisible or direction-changing character: U+2060'],
    ['a 100,000-character --reason', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'a@b.c', '--reason', 'x'.repeat(100_000)], {}, '--reason is 100,000 characters long; at most 2,000 are allowed'],
    ['a 300-character --actor', ['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'a'.repeat(300)], {}, '--actor is 300 characters long; at most 200 are allowed'],
  ];
  it.each(UNREADABLE)('%s: exit 2, nothing recorded', async (_name, args, env, error) => {
    const before = registryFingerprint(dir);
    const r = await runCliInProcess(args, { cwd: dir, env });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`error: ${error}`);
    expect(registryFingerprint(dir)).toBe(before);
  });

  it('accepts what people write: accents, scripts, emoji, a long but sane reason', async () => {
    const own = makeProject();
    const r = await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'Zoë Ødegaard <zoe@example.com>', '--reason', `修正 🚀 ${'r'.repeat(1900)}`], { cwd: own });
    expect(r.code, r.output).toBe(0);
  });

  it('accepts the joiners of Persian, Hindi and emoji spelling in --reason and PROMPTCTL_ACTOR, and records them exactly', async () => {
    const own = makeProject();
    const reason = 'به\u200cروزرسانی سیاست بازپرداخت 👨\u200d👩\u200d👧';
    const actor = 'मनोज्\u200d कुमार';
    const dry = await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'development', '--force', '--reason', reason, '--dry-run'], { cwd: own, env: { PROMPTCTL_ACTOR: actor } });
    expect(dry.code, dry.output).toBe(0);
    const r = await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'development', '--reason', reason], { cwd: own, env: { PROMPTCTL_ACTOR: actor } });
    expect(r.code, r.output).toBe(0);
    const deployed = readEvents(own).find((e) => e.action === 'deploy');
    expect([deployed?.actor, deployed?.reason]).toEqual([actor, reason]);
  });

  it('history, status and audit verify print control characters already in a registry escaped; --json keeps them', async () => {
    // Events #1 and #2 are the tested marks; #4 is the second deploy.
    tamper(dir, (db) => db.prepare('UPDATE events SET actor = ?, reason = ? WHERE seq = 4').run(FORGED, ESC));
    const history = await runCliInProcess(['history'], { cwd: dir });
    expect(history.code, history.output).toBe(0);
    expect(history.stdout).not.toContain('\u001b');
    expect(history.stdout.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(2);
    expect(history.stdout).toContain('by x\\n#99 2026 deploy support-answer@9.9.9 in production by ceo: \\e[31mspoof');
    const status = await runCliInProcess(['status'], { cwd: dir });
    expect(status.code, status.output).toBe(0);
    expect(status.stdout).not.toMatch(/^#99/m);
    expect(status.stdout).toContain('by x\\n#99');
    const audit = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(audit.code).toBe(1);
    expect(audit.stderr).not.toContain('\u001b');
    expect(readEvents(dir).find((e) => e.seq === 4)).toMatchObject({ actor: FORGED, reason: ESC });
    const json = JSON.parse((await runCliInProcess(['history', '--json'], { cwd: dir })).stdout) as { events: Array<{ actor: string; reason: string | null }> };
    expect(json.events[1]).toMatchObject({ actor: FORGED, reason: ESC });
  });

  it('get prints a deployed prompt with its control characters escaped (newlines kept); --json keeps them', async () => {
    const fresh = makeProject();
    // Version files can no longer hold ESC, C1 or BEL (refused at load), but a registry written by an
    // older promptctl may: register and deploy such content through the registry itself.
    withProjectRegistry(fresh, (registry, project) => {
      const file = project.prompts.find((p) => p.version === '1.1.0')!;
      const data = JSON.parse(file.canonical) as { messages: Array<{ content: string }> };
      data.messages[0]!.content = '\u001b[31mred\u009b2J\u0007 two\nlines';
      const content = canonicalJson(data);
      registry.registerVersion({ promptId: 'support-answer', version: '1.1.0', contentHash: sha256Hex(content), content, description: file.data.description, author: file.data.author });
      registry.appendEvent({ env: 'development', promptId: 'support-answer', version: '1.1.0', previousVersion: null, action: 'deploy', actor: 'a@b.c', reason: null });
    });
    const r = await runCliInProcess(['get', 'support-answer', '--env', 'development'], { cwd: fresh });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\u009b\u0007]/);
    expect(r.stdout).toContain('\\e[31mred\\x9b2J\\x07 two\nlines');
    const json = JSON.parse((await runCliInProcess(['get', 'support-answer', '--env', 'development', '--json'], { cwd: fresh })).stdout);
    expect(json.content.messages[0].content).toBe('\u001b[31mred\u009b2J\u0007 two\nlines');
  });
});
