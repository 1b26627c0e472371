#!/usr/bin/env node
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBundle } from './bundle-loader.js';

/**
 * The installed command: runs the bundled CLI (main.cjs beside this file, built from main.ts by
 * scripts/bundle.mjs) through the code-caching loader. main.ts is the process entry proper.
 */
runBundle(path.dirname(fileURLToPath(import.meta.url)), process.env, process.argv.slice(2));
