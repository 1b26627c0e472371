/**
 * The one rule for text that is true or false: `true` or `false` as YAML 1.2 writes them (any of
 * `true`, `True`, `TRUE`), spaces around it aside. A CSV cell is always text, and a spreadsheet
 * saves TRUE/FALSE: a dataset's `refusal: "{{refuse}}"` (dataset-rows.ts) and a boolean variable
 * (template.ts) read such a cell alike. YAML 1.1's yes/no/on/off are not true or false.
 */
const BOOLEAN: Record<string, boolean> = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };

export function booleanText(text: string): boolean | undefined {
  const t = text.trim();
  return Object.hasOwn(BOOLEAN, t) ? BOOLEAN[t] : undefined;
}
