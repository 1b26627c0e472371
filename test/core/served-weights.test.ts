import { describe, expect, it } from 'vitest';
import { runsWeightsChange, servedAsIn, weightsOf, weightsOfRuns, type ModelCard, type RecordedWeights, type ServedAs } from '../../src/core/served-weights.js';

describe('what /v1/models says a served name is', () => {
  const rows: Array<{ name: string; cards: ModelCard[]; model: string; as: ServedAs }> = [
    { name: "vLLM's default: root equal to the name is kept", cards: [{ id: 'm', root: 'm' }], model: 'm', as: { root: 'm' } },
    { name: '--served-model-name: the checkpoint', cards: [{ id: 'm', root: '/models/ft-v2' }], model: 'm', as: { root: '/models/ft-v2' } },
    { name: 'a server that names no root', cards: [{ id: 'm' }], model: 'm', as: {} },
    { name: 'a root that is not text is no root', cards: [{ id: 'm', root: 7 }], model: 'm', as: {} },
    {
      name: "an adapter: its own path, its base, and the base's root from the same list",
      cards: [{ id: 'base', root: 'org/base-v2' }, { id: 'lora', root: '/adapters/lora', parent: 'base' }],
      model: 'lora',
      as: { root: '/adapters/lora', parent: 'base', parentRoot: 'org/base-v2' },
    },
    { name: 'an adapter whose base is not listed', cards: [{ id: 'lora', root: '/adapters/lora', parent: 'base' }], model: 'lora', as: { root: '/adapters/lora', parent: 'base' } },
  ];
  for (const row of rows) it(row.name, () => expect(servedAsIn(row.cards, row.model)).toEqual(row.as));
});

describe('the weights a run was answered by', () => {
  const rows: Array<{ name: string; model: string; served?: ServedAs; weights: string }> = [
    { name: 'the recorded root', model: 'm', served: { root: '/models/ft-v2' }, weights: '/models/ft-v2' },
    { name: 'no root recorded: the name names its own weights', model: 'm', served: {}, weights: 'm' },
    { name: 'no served record at all (a run before roots)', model: 'm', weights: 'm' },
    { name: "an adapter: its own root on its base's", model: 'lora', served: { root: '/adapters/lora', parent: 'base', parentRoot: 'org/base-v2' }, weights: '/adapters/lora on org/base-v2' },
    { name: "an adapter recorded before its base's root was: its own root alone", model: 'lora', served: { root: '/adapters/lora', parent: 'base' }, weights: '/adapters/lora' },
  ];
  for (const row of rows) it(row.name, () => expect(weightsOf(row.model, row.served)).toBe(row.weights));
});

describe('the weights of runs judged as one (the shards of a merge)', () => {
  const rows: Array<{ name: string; runs: RecordedWeights[]; is: ReturnType<typeof weightsOfRuns> }> = [
    { name: 'one root asked of the server by every shard', runs: [{ served: { root: 'org/v1' } }, { served: { root: 'org/v1' } }], is: { weights: 'org/v1' } },
    { name: 'two roots: mixed', runs: [{ served: { root: 'm' } }, { served: { root: 'org/v1' } }], is: { mixed: true } },
    { name: 'a server that named no root beside one that named other weights: mixed, as preflight compares replicas', runs: [{ served: {} }, { served: { root: 'org/v1' } }], is: { mixed: true } },
    { name: "a server that named no root beside the name's own root: the same, as for replicas", runs: [{ served: {} }, { served: { root: 'm' } }], is: { weights: 'm' } },
    { name: 'no server named a root: one set, unknown', runs: [{ served: {} }, { served: {} }], is: { weights: undefined } },
    { name: 'a shard answered from the cache: the root its answers named', runs: [{ cachedRoot: 'org/v2' }, { served: { root: 'org/v1' } }], is: { mixed: true } },
    { name: 'cached answers that named no root (before 0.2.0) are compared with none, as an unsharded run keeps them', runs: [{}, { served: { root: 'org/v1' } }], is: { weights: 'org/v1' } },
    { name: "an adapter's base root changed between the shards", runs: [{ served: { root: 'lora', parent: 'b', parentRoot: 'org/b1' } }, { served: { root: 'lora', parent: 'b', parentRoot: 'org/b2' } }], is: { mixed: true } },
  ];
  for (const row of rows) it(row.name, () => expect(weightsOfRuns('m', row.runs)).toEqual(row.is));
});

describe('the two sides of a comparison answered by other weights (compare, report <a> <b>)', () => {
  type Run = Parameters<typeof runsWeightsChange>[0];
  const rows: Array<{ name: string; a: Run; b: Run; change: ReturnType<typeof runsWeightsChange> }> = [
    { name: 'the same root on both sides: no change', a: { model: 'm', summary: { served: { root: 'org/v1' } } }, b: { model: 'm', summary: { served: { root: 'org/v1' } } }, change: undefined },
    { name: 'the name itself, then a checkpoint behind it', a: { model: 'm', summary: { served: { root: 'm' } } }, b: { model: 'm', summary: { served: { root: 'org/v2' } } }, change: { model: 'm', from: 'm', to: 'org/v2' } },
    { name: 'a side answered wholly from the cache: the root its answers named', a: { model: 'm', summary: { cachedRoot: 'org/v1' } }, b: { model: 'm', summary: { served: { root: 'org/v2' } } }, change: { model: 'm', from: 'org/v1', to: 'org/v2' } },
    { name: 'a side that recorded no weights is unknown, never compared', a: { model: 'm', summary: {} }, b: { model: 'm', summary: { served: { root: 'org/v2' } } }, change: undefined },
    { name: 'a run without a summary is unknown too', a: { model: 'm' }, b: { model: 'm', summary: { served: { root: 'org/v2' } } }, change: undefined },
    { name: 'two model names: a comparison of models, not a weights change', a: { model: 'm', summary: { served: { root: 'org/v1' } } }, b: { model: 'n', summary: { served: { root: 'org/v2' } } }, change: undefined },
    { name: "an adapter whose base's root changed", a: { model: 'lora', summary: { served: { root: 'lora', parent: 'b', parentRoot: 'org/b1' } } }, b: { model: 'lora', summary: { served: { root: 'lora', parent: 'b', parentRoot: 'org/b2' } } }, change: { model: 'lora', from: 'lora on org/b1', to: 'lora on org/b2' } },
  ];
  for (const row of rows) it(row.name, () => expect(runsWeightsChange(row.a, row.b)).toEqual(row.change));
});
