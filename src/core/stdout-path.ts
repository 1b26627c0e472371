/**
 * `-` as an output file is standard output, as for most command-line tools: one rule for every
 * option that names a file to write. A command that can print the file there (`export -o -`,
 * `report -o -`) does; every other one refuses `-` (infra/output-file.ts) rather than write a file
 * named "-".
 */
export const STDOUT_PATH = '-';

export function isStdoutPath(file: string | undefined): boolean {
  return file === STDOUT_PATH;
}
