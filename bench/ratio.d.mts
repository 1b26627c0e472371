/** A measured value beside its target (a number, or text such as `>= 4.5`), shown by the threshold rule. */
export function shownBeside(value: number, target: number | string, digits?: number): string;

/** One result row (PASS/FAIL, metric, value beside its target, detail) as every bench prints it. */
export function resultLine(r: { metric: string; value: number | string; target: number | string; pass: boolean; detail?: string }): string;
