import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes a report the user asked for (JUnit, Markdown, HTML), relative to the command's cwd, creating folders. */
export function writeOutputFile(cwd: string, file: string, text: string): string {
  const abs = path.resolve(cwd, file);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return abs;
}
