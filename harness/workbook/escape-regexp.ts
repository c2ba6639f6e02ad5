/** A test's name as a regular expression that matches it literally (vitest filters by pattern). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
