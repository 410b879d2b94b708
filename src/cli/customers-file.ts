import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

export class CliInputError extends Error {}

/**
 * Customer ids from a file: CSV with an `external_userid` column (or a single column, header optional),
 * or JSON — an array of strings or of objects with `external_userid`. Blank lines and a BOM are fine;
 * duplicates are dropped (each id is sent once). `column` reads other ids the same way (`chat_id`).
 */
export async function readCustomersFile(path: string, column = 'external_userid'): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliInputError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? (error as Error).message}`);
  }
  const ids = path.toLowerCase().endsWith('.json') ? fromJson(text, path, column) : fromCsv(text, path, column);
  if (ids.length === 0) throw new CliInputError(`${path} holds no ${column === 'external_userid' ? 'customer' : column} ids`);
  return [...new Set(ids)];
}

function fromJson(text: string, path: string, column: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliInputError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new CliInputError(`${path} must hold a JSON array of ids or of {"${column}": …} objects`);
  return data.map((item, index) => {
    const id = typeof item === 'string' ? item : (item as Record<string, unknown> | null)?.[column];
    if (typeof id !== 'string' || id === '') throw new CliInputError(`${path}: item ${index + 1} is not an id or an object with ${column}`);
    return id;
  });
}

function fromCsv(text: string, path: string, name: string): string[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (error) {
    throw new CliInputError(`${path} is not valid CSV: ${(error as Error).message}`);
  }
  if (rows.length === 0) return [];
  const header = rows[0]!.map((cell) => cell.toLowerCase());
  const column = header.indexOf(name);
  if (column >= 0) return rows.slice(1).map((row) => row[column] ?? '').filter((id) => id !== '');
  if (header.length !== 1) throw new CliInputError(`${path} has ${header.length} columns but none named ${name}`);
  return rows.map((row) => row[0]!).filter((id) => id !== '');
}
