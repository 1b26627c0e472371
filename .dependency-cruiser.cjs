/**
 * The layering of src/ (ARCHITECTURE.md), checked by `npm run check:deps`, which `npm test` runs
 * before vitest. Dependencies point down only:
 *
 *   bin, cli*  →  commands  →  render  →  app  →  infra  →  core
 *                           (commands also call app, infra and core directly)
 *
 * Every rule covers type-only imports too (tsPreCompilationDeps): a type that lives in the wrong
 * layer pulls its module's neighbours along the day someone needs a value from it.
 *
 * What dependency-cruiser cannot see (module-level mutable state, the clock, Math.random and
 * `process` in core) is checked by test/foundation/core-purity.test.ts.
 */

// Layers a lower layer must not reach. `cli` covers src/cli.ts and src/cli-option-errors.ts.
const CLI = '^src/(cli[^/]*\\.ts|bin/)';
const COMMANDS = '^src/commands/';
const RENDER = '^src/render/';
const APP = '^src/app/';
const INFRA = '^src/infra/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-no-node-io',
      severity: 'error',
      comment:
        'src/core is pure: no file system, network, processes, threads, OS, timers or module loading. ' +
        'The one node built-in it may import is node:crypto, for createHash: a content hash is a pure ' +
        'function of its input (core-purity.test.ts also refuses any other name from node:crypto, such as ' +
        'randomBytes). Anything else belongs in src/infra behind a small interface that core receives.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },
    {
      name: 'core-only-pure-packages',
      severity: 'error',
      comment:
        'src/core may use only libraries that compute and touch nothing: zod (schemas), yaml and js-yaml ' +
        '(parsing text it is given), semver, ajv (JSON Schema; core imports only its types, and ' +
        'infra/schema-engine.ts loads it on first need). Packages that do I/O or print (better-sqlite3, openai, ink, ' +
        'react, chalk, commander) belong to infra, render or the CLI. To add a pure library, add it here.',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/(zod|yaml|js-yaml|semver|ajv)/' },
    },
    {
      name: 'core-no-upper-layers',
      severity: 'error',
      comment: 'src/core is the bottom layer: it imports nothing from infra, app, commands, render, the CLI or the simulator.',
      from: { path: '^src/core/' },
      to: { path: [INFRA, APP, COMMANDS, RENDER, CLI, '^src/sim/'] },
    },
    {
      name: 'infra-no-upper-layers',
      severity: 'error',
      comment: 'src/infra holds side effects behind small interfaces; it imports no app, commands, render or CLI.',
      from: { path: INFRA },
      to: { path: [APP, COMMANDS, RENDER, CLI] },
    },
    {
      name: 'app-no-upper-layers',
      severity: 'error',
      comment:
        'src/app (the use cases) returns data: it imports no commands, render or CLI, so it never prints or exits. ' +
        'One exception: render/gate-text.ts (pure, core imports only: gate-words-core-only), because the audit log records the ' +
        'sentences of the gates an override skipped, and the log must say them in the same words as the CLI.',
      from: { path: APP },
      to: { path: [COMMANDS, RENDER, CLI], pathNot: '^src/render/gate-text\\.ts$' },
    },
    {
      name: 'gate-words-core-only',
      severity: 'error',
      comment:
        'render/gate-text.ts, which app may import, and the files it uses (comparison-text.ts, tested-text.ts, ' +
        'eval-advice.ts, gate-clauses.ts) stay pure: they import core only (and each other), so the exception above brings no side effect into app.',
      from: { path: '^src/render/((gate|comparison|tested)-text|eval-advice|gate-clauses)\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/render/((gate|comparison|tested)-text|eval-advice|gate-clauses)\\.ts$'] },
    },
    {
      name: 'render-no-commands',
      severity: 'error',
      comment:
        'src/render prints what it is given: it imports no commands or CLI. It may import app, infra and ' +
        'core types (the results it prints).',
      from: { path: RENDER },
      to: { path: [COMMANDS, CLI] },
    },
    {
      name: 'commands-no-infra',
      severity: 'error',
      comment:
        'A command parses its options, calls one use case in src/app and picks a renderer: it opens no ' +
        'registry, reads no project file and sends no request of its own (types such as Clock excepted).',
      from: { path: COMMANDS },
      to: { path: INFRA, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'commands-no-cli',
      severity: 'error',
      comment: 'Commands are called by the CLI, never the other way round.',
      from: { path: COMMANDS },
      to: { path: CLI },
    },
    {
      name: 'no-sim-in-product',
      severity: 'error',
      comment: 'The simulator is a test double: only its own entry point (src/bin/sim.ts) loads it.',
      from: { path: '^src/', pathNot: '^src/(sim/|bin/sim\\.ts$)' },
      to: { path: '^src/sim/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere in src/ (type-only ones included): layers are a tree, not a web.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve would hide from every rule above.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    detectProcessBuiltinModuleCalls: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
