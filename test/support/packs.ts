import type { AttackPack } from '../../src/core/attacks/pack-schema.js';

/** A small attack pack for a test: its name and attacks, version 1.0.0, described by its name. */
export function testPack(pack: string, attacks: AttackPack['attacks']): AttackPack {
  return { pack, version: '1.0.0', description: pack, attacks };
}
