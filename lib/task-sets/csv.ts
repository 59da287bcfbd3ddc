/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes (`""` is a quote inside one),
 * quoted fields may span lines. Each row keeps the 1-based line it starts on. Browser-safe.
 */

export interface CsvRow {
  line: number;
  cells: string[];
}

export interface CsvResult {
  rows: CsvRow[];
  error: { line: number; message: string } | null;
}

export function parseCsv(text: string): CsvResult {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = "";
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteStartLine = 0;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
    cells = [];
    cell = "";
  };
  for (; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === "\n") line += 1;
        cell += char;
      }
      continue;
    }
    if (char === '"' && cell === "") {
      quoted = true;
      quoteStartLine = line;
    } else if (char === '"') {
      return { rows, error: { line, message: "a quote inside an unquoted field (quote the whole field and double the quote)" } };
    } else if (char === ",") {
      cells.push(cell);
      cell = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      continue;
    } else if (char === "\n") {
      endRow();
      line += 1;
      rowLine = line;
    } else {
      cell += char;
    }
  }
  if (quoted) return { rows, error: { line: quoteStartLine, message: "a quoted field is never closed" } };
  if (cell !== "" || cells.length > 0) endRow();
  return { rows, error: null };
}
