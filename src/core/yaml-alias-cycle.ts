import type { Document } from 'yaml';
type YamlLib = typeof import('yaml');

/**
 * The first alias that sits inside the node its anchor names (`&node { child: *node }`, a natural
 * first try at a recursive schema), with what to tell the file's author. The `yaml` library's toJS
 * makes such a value a circular object without complaint (its alias limit counts expansions, and a
 * cycle expands once), and every later walk of the data (the finite-number check, canonical JSON)
 * then recursed for ever: exit 70. One pre-order walk, the order in which the library resolves an
 * alias (to the last anchor of its name before it); `ancestors` holds every node enclosing the alias.
 */
export function aliasInsideItsAnchor(y: YamlLib, doc: Document): { at: number; message: string } | undefined {
  const anchored = new Map<string, unknown>();
  let found: { at: number; message: string } | undefined;
  y.visit(doc, {
    Node(_key, node, ancestors) {
      if (y.isAlias(node)) {
        const target = anchored.get(node.source);
        if (target !== undefined && (ancestors as readonly unknown[]).includes(target)) {
          const name = node.source;
          found = {
            at: node.range?.[0] ?? 0,
            message: `alias *${name} is inside the value its anchor &${name} names (a cycle): a YAML value cannot contain itself; for a recursive JSON schema, refer to the schema with \`$ref\` (e.g. \`$ref: "#"\`) instead`,
          };
          return y.visit.BREAK;
        }
      } else if (node.anchor) anchored.set(node.anchor, node);
      return undefined;
    },
  });
  return found;
}
