/**
 * The EXAMPLES block at the end of each `--help`, by command path ('' is promptctl itself).
 * Plain data, so `--help` still loads nothing but commander; a test checks every command has one.
 */
export const EXAMPLES: Record<string, string[]> = {
  '': ['promptctl init && promptctl lint', 'promptctl eval support-answer', 'promptctl deploy support-answer@1.1.0 --env staging', 'promptctl status'],
  init: ['promptctl init my-prompts', 'promptctl init --blank --base-url http://vllm.internal:8000/v1 --model llama-3.1-8b'],
  list: ['promptctl list', 'promptctl list --json'],
  show: ['promptctl show support-answer', 'promptctl show support-answer@1.0.0 --json'],
  render: ['promptctl render support-answer@1.1.0 --var question="How do I reset my password?"', 'promptctl render support-answer@1.1.0 --vars-file vars.yaml'],
  new: ['promptctl new support-answer --minor --description "shorter answers"', 'promptctl new billing-faq --author me@example.com', 'promptctl new support-answer@1.0.0 --description "fix of the 1.0 line"'],
  diff: ['promptctl diff support-answer@1.0.0 support-answer@1.1.0', 'promptctl diff support-answer 1.0.0 1.1.0'],
  lint: ['promptctl lint', 'promptctl lint prompts/support-answer/1.1.0.yaml --strict', 'promptctl lint --server'],
  eval: ['promptctl eval', 'promptctl eval support-answer@1.1.0 --suite golden --repeat 3', 'promptctl eval support-answer@1.1.0 --baseline production', 'promptctl eval --resume', 'promptctl eval --filter-failing'],
  ci: ['promptctl ci', 'promptctl ci --base origin/main --junit out/junit.xml --summary out/summary.md --html out/report.html'],
  power: ['promptctl power support-answer/golden', 'promptctl power support-answer/golden --env production'],
  redteam: ['promptctl redteam generate support-answer'],
  'redteam generate': ['promptctl redteam generate support-answer', 'promptctl redteam generate support-answer --packs instruction-override,pii-exfiltration --inject-into question', 'promptctl redteam generate support-answer --out data/redteam.jsonl'],
  compare: ['promptctl compare support-answer@1.0.0 support-answer@1.1.0', 'promptctl compare support-answer@1.0.0 support-answer@1.1.0 --suite golden --no-eval', 'promptctl compare support-answer@1.1.0:sim-model support-answer@1.1.0:sim-model-next'],
  report: ['promptctl report', 'promptctl report support-answer@1.0.0 support-answer@1.1.0 -o compare.html --open'],
  deploy: ['promptctl deploy support-answer@1.1.0 --env staging', 'promptctl deploy support-answer@1.1.0 --env production --dry-run', 'promptctl deploy support-answer@1.1.0 --env production --reason "hotfix" --yes'],
  promote: ['promptctl promote support-answer --from staging --to production', 'promptctl promote support-answer --from staging --to production --dry-run'],
  rollback: ['promptctl rollback support-answer --env production', 'promptctl rollback support-answer --env production --to 1.0.0 --reason "bad answers"'],
  config: ['promptctl config --effective', 'promptctl config --effective --json'],
  status: ['promptctl status', 'promptctl status --env production --json'],
  history: ['promptctl history', 'promptctl history support-answer --env production --limit 10', 'promptctl history --since 30d --action rollback'],
  audit: ['promptctl audit verify', 'promptctl audit head'],
  'audit verify': ['promptctl audit verify', 'promptctl audit verify --since 42:3f9a…'],
  'audit head': ['promptctl audit head > audit-head.txt'],
  keys: ['promptctl keys generate'],
  'keys generate': ['promptctl keys generate', 'promptctl keys generate --json'],
  registry: ['promptctl registry info', 'promptctl registry migrate'],
  'registry migrate': ['promptctl registry migrate', 'PROMPTCTL_REGISTRY_URL=postgres://owner@db:5432/prompts promptctl registry migrate'],
  'registry info': ['promptctl registry info', 'promptctl registry info --json'],
  'registry push': ['promptctl registry push --to postgres://ci@db:5432/prompts', 'promptctl registry push --from old/registry.db --skip-events'],
  'registry prune-cache': ['promptctl registry prune-cache --older-than 90d --dry-run', 'promptctl registry prune-cache --older-than 90d', 'promptctl registry prune-cache --all'],
  'registry roles': ['promptctl registry roles > roles.sql', 'promptctl registry roles --prefix acme_'],
  get: ['promptctl get support-answer --env production', 'promptctl get support-answer --env production --json'],
  export: ['promptctl export --env production -o bundle.json'],
  completion: ['eval "$(promptctl completion bash)"', 'eval "$(promptctl completion zsh)"', 'promptctl completion fish > ~/.config/fish/completions/promptctl.fish'],
};

export function examplesText(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
