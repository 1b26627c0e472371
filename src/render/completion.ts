/**
 * Shell completion scripts for `promptctl completion bash|zsh|fish`, written from the command tree
 * commander defines (src/cli.ts hands it over), so a new command or flag completes without a
 * hand-kept list. Completes command names and their flags (long and short); after a flag that takes
 * a value (`--env <TAB>`), nothing of ours: the shell's default (file names).
 */

export interface CommandTree {
  name: string;
  description: string;
  /** Long flags, e.g. `--env`, with the short form where there is one (`-C`); `value`: it takes one. */
  flags: Array<{ flag: string; short?: string; description: string; value?: true }>;
  /** The values a positional argument takes, when they are few and fixed (`completion <shell>`). */
  choices?: string[];
  commands: CommandTree[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Every command path with its tree node: '' for the program, ' audit verify' for a subcommand. */
function paths(tree: CommandTree, prefix = ''): Array<[string, CommandTree]> {
  return [[prefix, tree], ...tree.commands.flatMap((c) => paths(c, `${prefix} ${c.name}`))];
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(tree: CommandTree): string {
  const all = paths(tree);
  const known = all.filter(([p]) => p !== '').map(([p]) => `${JSON.stringify(p)}`);
  const names = (f: CommandTree['flags'][number]) => [f.flag, ...(f.short ? [f.short] : [])];
  // Every flag that takes a value, anywhere: the word after one is its value, never a command
  // (`-C config status`: config is the folder, status the command).
  const takesValue = [...new Set(all.flatMap(([, node]) => node.flags.filter((f) => f.value).flatMap(names)))];
  const words = all.map(([p, node]) => {
    const valued = node.flags.filter((f) => f.value).flatMap(names);
    return `    ${JSON.stringify(p)}) words=${sq([...node.commands.map((c) => c.name), ...(node.choices ?? []), ...node.flags.flatMap(names)].join(' '))}; valued=${sq(valued.join(' '))} ;;`;
  });
  return [
    `# promptctl completion for bash: eval "$(promptctl completion bash)" (e.g. in ~/.bashrc)`,
    `_${tree.name}_completion() {`,
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" path="" words="" valued="" w i',
    `  local takes_value=${sq(` ${takesValue.join(' ')} `)}`,
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    w="${COMP_WORDS[i]}"',
    '    case "$takes_value" in *" ${COMP_WORDS[i-1]} "*) continue ;; esac',
    '    case "$path $w" in',
    `      ${known.join('|')}) path="$path $w" ;;`,
    '    esac',
    '  done',
    '  case "$path" in',
    ...words,
    '  esac',
    // The value of a flag (`--env <TAB>`, `-C <TAB>`): no flags or commands, the default completion.
    '  case " $valued " in *" $prev "*) COMPREPLY=(); return ;; esac',
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    '}',
    `complete -o default -F _${tree.name}_completion ${tree.name}`,
    '',
  ].join('\n');
}

function zsh(tree: CommandTree): string {
  // zsh runs bash completion functions through bashcompinit: one script, the same words.
  return [`# promptctl completion for zsh: eval "$(promptctl completion zsh)" (e.g. in ~/.zshrc)`, 'autoload -U +X compinit && compinit', 'autoload -U +X bashcompinit && bashcompinit', bash(tree)].join('\n');
}

const fishText = (s: string) => sq(s.replace(/\s+/g, ' ').slice(0, 120));

function fish(tree: CommandTree): string {
  const lines = [`# promptctl completion for fish: promptctl completion fish > ~/.config/fish/completions/${tree.name}.fish`];
  // The program's flags are declared once, without a condition: fish offers them after any command.
  const everywhere = new Set(tree.flags.map((f) => f.flag).filter((f) => f !== '--help'));
  for (const [p, node] of paths(tree)) {
    const chain = p.split(' ').filter(Boolean);
    const seen = chain.map((name) => `__fish_seen_subcommand_from ${name}`);
    const here = node.commands.map((c) => c.name).join(' ');
    const at = chain.length === 0 ? ['__fish_use_subcommand'] : seen;
    const forSubs = here ? [...at.filter((c) => c !== '__fish_use_subcommand'), `not __fish_seen_subcommand_from ${here}`] : at;
    const cond = (parts: string[]) => (parts.length ? ` -n ${sq(parts.join('; and '))}` : '');
    for (const c of node.commands) lines.push(`complete -c ${tree.name} -f${cond(chain.length === 0 ? ['__fish_use_subcommand'] : forSubs)} -a ${sq(c.name)} -d ${fishText(c.description)}`);
    // `-r`: the flag takes a value, so fish completes that value (file names), not more flags.
    for (const f of node.flags.filter((f) => p === '' || !everywhere.has(f.flag))) lines.push(`complete -c ${tree.name}${cond(chain.length === 0 ? [] : seen)}${f.short ? ` -s ${f.short.replace(/^-/, '')}` : ''} -l ${f.flag.replace(/^--/, '')}${f.value ? ' -r' : ''} -d ${fishText(f.description)}`);
    if (node.choices?.length) lines.push(`complete -c ${tree.name} -f${cond(seen)} -a ${sq(node.choices.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}

export function completionScript(shell: Shell, tree: CommandTree): string {
  return shell === 'bash' ? bash(tree) : shell === 'zsh' ? zsh(tree) : fish(tree);
}
