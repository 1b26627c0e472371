/** A measured value beside its target (a number, or text such as `>= 4.5`), shown by the threshold rule. */
export function shownBeside(value: number, target: number | string, digits?: number): string;
