import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../support/cli.js';

/** The README's command table names every flag a command takes (`--help` is the truth), so no option is undocumented. */

const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const COMMANDS = ['eval', 'deploy', 'promote', 'rollback', 'status', 'history', 'lint', 'list', 'show', 'diff', 'render', 'new', 'init', 'compare', 'report', 'power', 'ci'];

describe("the README's command table", () => {
  it.each(COMMANDS)('%s: every flag of --help is in its row', async (command) => {
    // The command's own options: the global ones (`-C`, `--no-color`, `-V`) are said once, below the table.
    const help = (await runCliInProcess([command, '--help'], { cwd: REPO_ROOT })).stdout.split('Global Options:')[0]!;
    const flags = [...help.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((f) => f !== '--help' && f !== '--json');
    const row = README.split('\n').find((l) => new RegExp(`^\\| \`${command}( |\`)`).test(l));
    expect(row, `no row for ${command}`).toBeDefined();
    // `-o report.html` documents --output.
    const missing = flags.filter((f) => !row!.includes(f) && !(f === '--output' && /\[-o /.test(row!)));
    expect(missing).toEqual([]);
  });
});
