// Writes dist/packs.json: the shipped attack packs read, validated and checked as a set, with the
// SHA-256 of each pack file, so a command that expands attacks reads one small JSON file instead
// of parsing and validating eight YAML files (see src/infra/compiled-packs.ts).
import { writeFileSync } from 'node:fs';
import { compiledPacksJson } from '../dist/infra/compiled-packs.js';
import { parseShippedPacks } from '../dist/infra/eval/attacks.js';
import { packagePath } from '../dist/infra/package-paths.js';

writeFileSync(new URL('../dist/packs.json', import.meta.url), compiledPacksJson(packagePath('packs'), parseShippedPacks()));
