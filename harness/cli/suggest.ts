/**
 * "Did you mean" for names a learner types: commands, flags, chapters and exercises. A typo is
 * a few letters off (`lst`, `raft-elektion`, `--seeed`), so the suggestion is the candidate
 * fewest edits away, and only when that is close enough to be the likely intent: at most a
 * third of the word's letters (and at least one) may differ.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const wanted = word.toLowerCase();
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance > allowed || (best !== undefined && distance >= best.distance)) continue;
    best = { name: candidate, distance };
  }
  return best?.name;
}

/** ` Did you mean "list"?`, or nothing when no candidate is close. */
export function didYouMean(word: string, candidates: Iterable<string>, prefix = ""): string {
  const suggestion = closest(word, candidates);
  return suggestion === undefined ? "" : ` Did you mean "${prefix}${suggestion}"?`;
}

/**
 * Edits (insert, delete, substitute, or swap two neighbouring letters) that turn `a` into `b`:
 * the optimal string alignment distance, so `lsit` is one edit from `list`, not two.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_, row) =>
    Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)),
  );
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      let distance = Math.min(
        table[row - 1]![column]! + 1,
        table[row]![column - 1]! + 1,
        table[row - 1]![column - 1]! + cost,
      );
      const swapped =
        row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1];
      if (swapped) distance = Math.min(distance, table[row - 2]![column - 2]! + 1);
      table[row]![column] = distance;
    }
  }
  return table[a.length]![b.length]!;
}
