import type { EffectiveConfig } from '../app/config.js';
import type { EffectiveGate } from '../core/effective-gates.js';

/** `config --effective` as text: one block per environment, a gate per line with its value and source. */

function shown(value: EffectiveGate['value']): string {
  return value === null ? 'off' : String(value);
}

export function effectiveConfigText(c: EffectiveConfig): string[] {
  const lines = [`Gates in effect (${c.file}; "default" means not set in the file):`];
  for (const env of c.environments) {
    lines.push('', env.env);
    const width = Math.max(...env.gates.map((g) => g.gate.length));
    const valueWidth = Math.max(...env.gates.map((g) => shown(g.value).length));
    for (const g of env.gates) lines.push(`  ${g.gate.padEnd(width)}  ${shown(g.value).padEnd(valueWidth)}  ${g.source}`);
  }
  return lines;
}
