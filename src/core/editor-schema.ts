/**
 * The first line of a file promptctl writes for the user to edit, pointing the YAML language server
 * at the JSON Schema the package ships (`schemas/`, generated from the zod schemas). One definition
 * for `new`, `redteam generate` and the example files `init` copies (a test holds the examples to it).
 */

export type EditorSchema = 'promptrc' | 'prompt' | 'evalset';

/**
 * `prompts/<id>/…` and `evalsets/<id>/…` sit two folders below the project root, where
 * `node_modules` is; `.promptrc.yaml` sits at the root.
 */
export function editorSchemaLine(kind: EditorSchema): string {
  const up = kind === 'promptrc' ? '' : '../../';
  return `# yaml-language-server: $schema=${up}node_modules/promptctl/schemas/${kind}.schema.json`;
}
