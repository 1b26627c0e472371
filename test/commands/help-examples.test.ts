import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';

/**
 * Issue 14 §5: every `--help` ends with an EXAMPLES block, and the examples use only the flags
 * that command defines (so an example cannot drift from the options it shows).
 */

const commandsOf = (help: string) =>
  help.includes('Commands:') ? [...help.slice(help.indexOf('Commands:')).split('\nExamples:')[0]!.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help') : [];

async function helpOf(path: string[]): Promise<string> {
  const r = await runCliInProcess([...path, '--help']);
  expect(r.code, `${path.join(' ')} --help\n${r.output}`).toBe(0);
  return r.stdout;
}

describe('--help examples', () => {
  it('every command, subcommand and promptctl itself show examples using their own flags', async () => {
    const seen: string[] = [];
    const visit = async (path: string[]): Promise<void> => {
      const help = await helpOf(path);
      seen.push(path.join(' '));
      const at = help.indexOf('\nExamples:\n');
      expect(at, `${path.join(' ') || 'promptctl'} --help has no Examples block`).toBeGreaterThan(0);
      const examples = help.slice(at).split('\n').filter((l) => l.startsWith('  $ '));
      expect(examples.length).toBeGreaterThan(0);
      const options = help.slice(0, at);
      for (const line of examples) {
        expect(line).toMatch(/promptctl/);
        // promptctl's own examples run subcommands, whose flags their own --help checks.
        if (!line.includes(`promptctl ${path.join(' ')} `) && !line.endsWith(`promptctl ${path.join(' ')}`)) continue;
        if (path.length === 0) continue;
        for (const flag of line.match(/ (--[a-z][\w-]*|-[a-zA-Z])\b/g) ?? []) expect(options, `${line}: ${flag.trim()} is not an option of ${path.join(' ')}`).toContain(flag.trim());
      }
      for (const sub of commandsOf(help)) await visit([...path, sub]);
    };
    await visit([]);
    expect(seen).toEqual(expect.arrayContaining(['', 'deploy', 'audit verify', 'registry push', 'redteam generate', 'completion', 'keys generate']));
    expect(seen.length).toBeGreaterThan(30);
  });
});
