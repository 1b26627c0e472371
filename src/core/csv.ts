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
 * Records from numbered lines; an empty line outside quotes is skipped (one that only looks blank
 * is a faulty record). A stray quote makes its record faulty (`fault`); a quoted field never closed
 * swallows the rest of the file, so that one throws CsvError.
 */
export function* csvRecords(lines: Iterable<{ text: string; line: number }>): Generator<CsvRecord> {
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedField = false;
  let start = 0;
  let quoteLine = 0;
  let quoteCol = 0;
  let fault: CsvRecord['fault'];
  const faulty = (message: string, line: number, col: number) => (fault ??= { message, line, col });
  for (const { text, line } of lines) {
    if (!inQuotes) {
      if (text === '') continue;
      start = line;
      // A line that looks blank is not skipped unless empty: it is a record of invisible characters.
      const hidden = hiddenInBlankLine(text);
      if (hidden) faulty(`the line looks blank but holds ${hidden.names}; delete the line (a blank line must be empty)`, line, hidden.col);
    } else field += '\n';
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (inQuotes) {
        if (ch !== '"') field += ch;
        else if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          const next = text[i + 1];
          if (next !== undefined && next !== ',') faulty('text after a closing quote: a quoted field ends at a comma or the end of the line', line, i + 2);
        }
      } else if (ch === ',') {
        fields.push(field);
        field = '';
        quotedField = false;
      } else if (ch === '"') {
        if (field !== '' || quotedField) {
          faulty('a quote inside an unquoted field: quote the whole field and double the quote ("")', line, i + 1);
          field += ch;
          continue;
        }
        inQuotes = true;
        quotedField = true;
        quoteLine = line;
        quoteCol = i + 1;
      } else if (ch === '\r') {
        // Line readers drop CRs at a line's end; one left inside a line would end up in a value.
        faulty('a carriage return (CR) inside the line, outside quotes: the file has CR-only line endings or a stray CR; save it with LF or CRLF line endings', line, i + 1);
      } else field += ch;
    }
    if (inQuotes) continue;
    fields.push(field);
    yield fault ? { fields, line: start, fault } : { fields, line: start };
    fault = undefined;
    fields = [];
    field = '';
    quotedField = false;
  }
  if (inQuotes) throw new CsvError('a quoted field is never closed', quoteLine, quoteCol);
}
