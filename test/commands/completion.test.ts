import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';

/**
 * Issue 14 §5: `promptctl completion bash|zsh|fish`. The scripts come from commander's own
 * definitions, so every command in `--help` and every flag of a command's `--help` completes.
 */

async function script(shell: string): Promise<string> {
  const r = await runCliInProcess(['completion', shell]);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

/** What bash offers after `promptctl <words...>` (the last word is the one being completed). */
function bashComplete(bash: string, words: string[]): string[] {
  const line = ['promptctl', ...words];
  const program = `${bash}\nCOMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _promptctl_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

const commandsOf = (help: string) => [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
const flagsOf = (help: string) => [...help.matchAll(/(--[a-z][\w-]*)/g)].map((m) => m[1]!);

describe('promptctl completion', () => {
  it('bash completes every command of --help, and a command\'s flags from its --help', async () => {
    const bash = await script('bash');
    const commands = commandsOf((await runCliInProcess(['--help'])).stdout);
    expect(commands).toContain('deploy');
    expect(commands).toContain('completion');
    expect(bashComplete(bash, [''])).toEqual(expect.arrayContaining(commands));
    expect(bashComplete(bash, ['de'])).toEqual(['deploy']);
    const deployFlags = new Set(flagsOf((await runCliInProcess(['deploy', '--help'])).stdout));
    expect(new Set(bashComplete(bash, ['deploy', 'x@1.0.0', '--']))).toEqual(deployFlags);
    expect(bashComplete(bash, ['deploy', '--e'])).toEqual(['--env']);
    // Nested commands, and a flag's value in between.
    expect(bashComplete(bash, ['audit', ''])).toEqual(['verify', 'head', '--version', '-V', '--cwd', '-C', '--no-color', '--help', '-h']);
    // Terminal hunt D2: the program's flags after a command (its --help lists them), and nothing of
    // ours as a flag's value (`--env <TAB>` offered flags): the shell's default completion.
    expect(bashComplete(bash, ['deploy', 'x@1.0.0', '--no'])).toEqual(['--no-color']);
    expect(bashComplete(bash, ['eval', '-C', ''])).toEqual([]);
    expect(bashComplete(bash, ['deploy', 'x@1.0.0', '--env', ''])).toEqual([]);
    expect(bashComplete(bash, ['deploy', 'x@1.0.0', '--env', 'production', '--y'])).toEqual(['--yes']);
    expect(bashComplete(bash, ['-C', 'dir', 'audit', 'verify', '--s'])).toEqual(['--since']);
    // A global flag's value that is also a command's name is the value (a folder called config).
    expect(bashComplete(bash, ['-C', 'config', 'status', '--e'])).toEqual(['--env']);
    expect(bashComplete(bash, ['--cwd', 'audit', ''])).toEqual(expect.arrayContaining(['audit', 'deploy']));
    // -h, as --help, everywhere.
    expect(bashComplete(bash, ['deploy', '-h'])).toEqual(['-h']);
    expect(bashComplete(bash, ['init', '--b'])).toEqual(['--blank', '--base-url']);
    // Short flags too, where a flag has one.
    expect(bashComplete(bash, ['-'])).toEqual(expect.arrayContaining(['-C', '--cwd']));
    // A positional argument with fixed values completes them.
    expect(bashComplete(bash, ['completion', '']).slice(0, 3)).toEqual(['bash', 'zsh', 'fish']);
    expect(bashComplete(bash, ['completion', 'f'])).toEqual(['fish']);
  });

  it('zsh runs the same functions through bashcompinit', async () => {
    const zsh = await script('zsh');
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain('complete -o default -F _promptctl_completion promptctl');
  });

  it('fish names every command and flag with its description', async () => {
    const fish = await script('fish');
    expect(fish).toContain("complete -c promptctl -f -n '__fish_use_subcommand' -a 'deploy' -d 'deploy <id>@<version> to an environment, behind its gates'");
    expect(fish).toContain("complete -c promptctl -n '__fish_seen_subcommand_from deploy' -l yes");
    // A flag's value is completed as a value (-r), and the program's flags are declared once, for every command.
    expect(fish).toContain("complete -c promptctl -n '__fish_seen_subcommand_from deploy' -l env -r");
    expect(fish.match(/-l no-color/g)).toHaveLength(1);
    expect(fish).toContain("complete -c promptctl -n '__fish_seen_subcommand_from audit; and __fish_seen_subcommand_from verify' -l since");
    expect(fish).toContain("-n '__fish_seen_subcommand_from registry; and not __fish_seen_subcommand_from migrate info push prune-cache roles' -a 'push'");
    expect(fish).toContain("complete -c promptctl -f -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'");
  });

  it('an unknown shell is exit 2 naming the choices', async () => {
    const r = await runCliInProcess(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bash.*zsh.*fish/);
  });
});
