import { columnsOf, variableColumn } from '../dataset-rows.js';
import type { EvalSet } from '../schemas/evalset.js';
import type { Locate } from '../yaml-source.js';

/**
 * Where a problem of one case is reported: at the case in the suite file, or at the row of its
 * `cases_from` data file with the column at fault (as lint says it, core/lint/dataset-rules.ts), so
 * eval never points at the suite for what a data file holds.
 */

export interface CasePlace {
  file: string;
  line: number;
  col: number;
  field: string;
}

/** `index` counts the cases planned; `turn` is the case's conversation turn (`offset`: the place in its text at fault), `variable` the variable at fault. */
export type PlaceCase = (index: number, at: { turn?: number; offset?: number; variable?: string }) => CasePlace;

export interface CaseSource {
  file: string;
  data: Pick<EvalSet, 'cases_from'>;
  locate: Locate;
  /** The cases from `firstCase` on were read from `file`, one row each at `lines`. */
  dataset?: { file: string; firstCase: number; lines: ArrayLike<number> };
}

/** `kept`: the index in the suite's cases of each case planned, when only some are (--filter-failing, --case). */
export function casePlacer(src: CaseSource, kept?: readonly number[]): PlaceCase {
  return (index, at) => {
    const i = kept ? kept[index]! : index;
    const rows = src.dataset;
    if (rows && i >= rows.firstCase) {
      const spec = src.data.cases_from;
      const field = at.variable !== undefined ? variableColumn(spec, at.variable) : spec ? columnsOf(spec).id : 'id';
      return { file: rows.file, line: rows.lines[i - rows.firstCase]!, col: 1, field };
    }
    const turn = at.turn === undefined ? [] : ['messages', at.turn, 'content'];
    const pos = src.locate(['cases', i, ...turn], turn.length ? at.offset : undefined);
    return { file: src.file, line: pos.line, col: pos.col, field: ['cases', i, ...(turn.length ? turn : ['vars'])].join('.') };
  };
}
