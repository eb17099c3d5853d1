import type { GateSpec, LeafGateSpec } from './gate-spec';

/** A gate of a tree that composes no others, and where it stands below the root. */
export interface GateLeaf {
  gate: LeafGateSpec;
  /** Its field path below the root (`''` for the root itself, `.gates.1`, `.gates.0.gate`). */
  path: string;
}

/** Every leaf of a gate tree, depth first, through `all`, `any` and `weighted`. Pure, so workflows may call it. */
export function gateLeaves(gate: GateSpec, path = ''): GateLeaf[] {
  switch (gate.kind) {
    case 'all':
    case 'any':
      return gate.gates.flatMap((child, index) => gateLeaves(child, `${path}.gates.${index}`));
    case 'weighted':
      return gate.gates.flatMap((entry, index) => gateLeaves(entry.gate, `${path}.gates.${index}.gate`));
    default:
      return [{ gate, path }];
  }
}
