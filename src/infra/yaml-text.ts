import { yamlReader, type YamlLib } from '../core/yaml-source.js';
import { requirePackage } from './lazy-package.js';

/**
 * core/yaml-source.ts with the `yaml` library loaded on first use, not at import (lazy-package.ts):
 * clean files never need it (js-yaml reads them), and evaluating it costs a short command such as
 * `status` a few per cent of its run time. Loading code is a side effect, and the loaded library
 * is cached here, so this lives in infra rather than core.
 */
let yamlLib: YamlLib | undefined;
function loadYaml(): YamlLib {
  yamlLib ??= requirePackage<YamlLib>('yaml');
  return yamlLib;
}

export const { decodeUtf8, parseYamlText, locateLater } = yamlReader(loadYaml);
