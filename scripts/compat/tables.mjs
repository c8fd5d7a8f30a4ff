// Markdown tables compared by content: the drift checks of the generated compatibility pages.
/** The text with table cells trimmed, so a formatter's column padding is no difference. */
export function normalizeTables(text) {
  return text
    .split("\n")
    .map((line) =>
      line.startsWith("|")
        ? line
            .split(/(?<!\\)\|/)
            .map((cell) => cell.trim().replace(/^-{3,}$/, "---"))
            .join("|")
        : line,
    )
    .join("\n");
}
