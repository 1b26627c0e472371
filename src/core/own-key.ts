/**
 * The value at a key a user named (a variable, a dataset column, a tool, an argument, a key of a
 * file), never one an object inherits: `constructor`, `toString`, `valueOf` and `hasOwnProperty`
 * are names like any other, where `record[name]` answers with Object.prototype's functions.
 */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
