import { hiddenInBlankLine } from './character-names.js';

/**
 * RFC 4180 CSV, read record by record from lines (without their line terminators): a quoted field
 * may hold commas, doubled quotes and line breaks, so one record can span several lines. Written
 * here rather than taken from a package because it is small and must report line and column of
 * every fault; a line break inside a quoted field is read as "\n", so CRLF and LF files agree.
 */

export interface CsvRecord {
  fields: string[];
  /** Line the record starts on (1-based). */
  line: number;
  /**
   * The record's first fault (a quote inside an unquoted field, text after a closing quote): the
   * record is bad, but where it ends is still clear, so reading goes on and every bad row is listed.
   * Its fields are then read as if the stray quote were text, and mean nothing.
   */
  fault?: { message: string; line: number; col: number };
}

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

/**
 * The longest quoted field read, in characters: a quote never closed swallows the rest of the file
 * into one field, so past this the field is refused, naming where its quote opened, instead of
 * holding the whole file in memory first. Far above any sane cell.
 */
export const MAX_QUOTED_FIELD_CHARS = 16 * 1024 * 1024;

/** What ends a run of text outside quotes: a comma, a quote, a CR. */
function stops(code: number): boolean {
  return code === 0x2c || code === 0x22 || code === 0x0d;
}

/**
 * Records from numbered lines; an empty line outside quotes is skipped (one that only looks blank
 * is a faulty record). A stray quote makes its record faulty (`fault`); a quoted field never closed
 * swallows the rest of the file, so that one throws CsvError, as does a quoted field longer than
 * `maxQuotedChars`. A field is kept as slices of its lines, joined once at its end: adding one
 * character at a time cost about 32 bytes a character (a 100 MB file held in 3.8 GB).
 */
export function* csvRecords(lines: Iterable<{ text: string; line: number }>, maxQuotedChars = MAX_QUOTED_FIELD_CHARS): Generator<CsvRecord> {
  let fields: string[] = [];
  let parts: string[] = [];
  let length = 0;
  let inQuotes = false;
  let quotedField = false;
  let start = 0;
  let quoteLine = 0;
  let quoteCol = 0;
  let fault: CsvRecord['fault'];
  const faulty = (message: string, line: number, col: number) => (fault ??= { message, line, col });
  const add = (piece: string) => {
    if (piece === '') return;
    parts.push(piece);
    length += piece.length;
    if (inQuotes && length > maxQuotedChars) {
      throw new CsvError(`a quoted field runs past ${maxQuotedChars.toLocaleString('en-US')} characters, the most read of one field: is its closing quote missing?`, quoteLine, quoteCol);
    }
  };
  const take = (): string => {
    const field = parts.length === 1 ? parts[0]! : parts.join('');
    parts = [];
    length = 0;
    return field;
  };
  for (const { text, line } of lines) {
    if (!inQuotes) {
      if (text === '') continue;
      start = line;
      // A line that looks blank is not skipped unless empty: it is a record of invisible characters.
      const hidden = hiddenInBlankLine(text);
      if (hidden) faulty(`the line looks blank but holds ${hidden.names}; delete the line (a blank line must be empty)`, line, hidden.col);
    } else add('\n');
    let i = 0;
    while (i < text.length) {
      if (inQuotes) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          add(text.slice(i));
          break;
        }
        if (text[q + 1] === '"') {
          // A doubled quote: the text up to and with the first of the two.
          add(text.slice(i, q + 1));
          i = q + 2;
          continue;
        }
        add(text.slice(i, q));
        inQuotes = false;
        const next = text[q + 1];
        if (next !== undefined && next !== ',') faulty('text after a closing quote: a quoted field ends at a comma or the end of the line', line, q + 2);
        i = q + 1;
        continue;
      }
      // Outside quotes: the run up to the next comma, quote or CR is text of the field.
      let j = i;
      while (j < text.length && !stops(text.charCodeAt(j))) j++;
      add(text.slice(i, j));
      if (j === text.length) break;
      const ch = text[j];
      if (ch === ',') {
        fields.push(take());
        quotedField = false;
      } else if (ch === '"') {
        if (length !== 0 || quotedField) {
          faulty('a quote inside an unquoted field: quote the whole field and double the quote ("")', line, j + 1);
          add(ch);
        } else {
          inQuotes = true;
          quotedField = true;
          quoteLine = line;
          quoteCol = j + 1;
        }
      } else {
        // A CR: line readers drop CRs at a line's end; one left inside a line would end up in a value.
        faulty('a carriage return (CR) inside the line, outside quotes: the file has CR-only line endings or a stray CR; save it with LF or CRLF line endings', line, j + 1);
      }
      i = j + 1;
    }
    if (inQuotes) continue;
    fields.push(take());
    yield fault ? { fields, line: start, fault } : { fields, line: start };
    fault = undefined;
    fields = [];
    quotedField = false;
  }
  if (inQuotes) throw new CsvError('a quoted field is never closed', quoteLine, quoteCol);
}
