import { afterAll } from 'vitest';
import { cleanupTempDirs } from './project.js';

/**
 * Every test file removes the temp folders it made with `makeTempDir` (and the project helpers
 * built on it) when it ends, whether or not it remembered to: a run of the suite leaves nothing
 * behind in the OS temp folder. Files share a worker one after another, so a folder never outlives
 * the file that made it.
 */
afterAll(() => cleanupTempDirs());
