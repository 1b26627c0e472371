import { createRequire } from 'node:module';
import { yamlReader, type YamlLib } from '../core/yaml-source.js';

/**
 * core/yaml-source.ts with the `yaml` library loaded on first use, not at import: clean files never
 * need it (js-yaml reads them), and evaluating it costs a short command such as `status` a few per
 * cent of its run time. In the CLI bundle esbuild turns `require('yaml')` into a bundled module
 * evaluated on first call; in plain ESM (the library, tests) `require` does not exist and Node's
 * own require loads it. Loading code is a side effect, and the loaded library is cached here, so
 * this lives in infra rather than core.
 */
declare const require: ((id: 'yaml') => unknown) | undefined;
let yamlLib: YamlLib | undefined;
function loadYaml(): YamlLib {
  yamlLib ??= (typeof require === 'function' ? require('yaml') : createRequire(import.meta.url)('yaml')) as YamlLib;
  return yamlLib;
}

export const { decodeUtf8, parseYamlText, locateLater } = yamlReader(loadYaml);
