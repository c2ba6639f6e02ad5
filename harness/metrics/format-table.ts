import type { MeasurementTable } from "./measurement.js";

/**
 * A table as aligned plain text for a terminal: the title, the headings, a rule, the rows.
 * Numbers are right-aligned and text left-aligned, as a reader scans them.
 */
export function formatTable(table: MeasurementTable): string {
  const cells = [table.columns, ...table.rows].map((row) => row.map((cell) => String(cell)));
  const widths = table.columns.map((_, column) =>
    Math.max(...cells.map((row) => row[column]?.length ?? 0)),
  );
  const numeric = table.columns.map(
    (_, column) =>
      table.rows.length > 0 && table.rows.every((row) => typeof row[column] === "number"),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, column) =>
        numeric[column] === true ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join("  ")
      .trimEnd();
  return [
    table.title,
    line(cells[0]!),
    widths.map((width) => "-".repeat(width)).join("  "),
    ...cells.slice(1).map(line),
  ].join("\n");
}
