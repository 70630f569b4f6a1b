// Compares a batch of logits with a reference's, row by row: top-1
// agreement, accuracy against labels, and the largest difference relative to
// the largest reference logit (the house's exactness measure).

export interface LogitsComparison {
  /** Rows compared. */
  count: number;
  /** Rows whose top-1 class equals the reference's. */
  agree: number;
  /** Rows whose top-1 class equals the label (when labels are given). */
  correct: number;
  /** max |ours − ref| / max |ref|. */
  maxRelError: number;
}

/** The index of the largest of `classes` values from `start`. */
export function argmax(values: ArrayLike<number>, start: number, classes: number): number {
  let best = 0;
  for (let k = 1; k < classes; k++) if (values[start + k] > values[start + best]) best = k;
  return best;
}

export function compareLogits(ours: ArrayLike<number>, ref: ArrayLike<number>, classes: number, labels?: ArrayLike<number>): LogitsComparison {
  if (ours.length !== ref.length || ref.length % classes !== 0) throw new Error(`compareLogits: ${ours.length} vs ${ref.length} values of ${classes} classes`);
  const count = ref.length / classes;
  let agree = 0;
  let correct = 0;
  let worst = 0;
  let largest = 0;
  for (let i = 0; i < count; i++) {
    const top = argmax(ours, i * classes, classes);
    if (top === argmax(ref, i * classes, classes)) agree++;
    if (labels !== undefined && top === labels[i]) correct++;
    for (let k = i * classes; k < (i + 1) * classes; k++) {
      worst = Math.max(worst, Math.abs(ours[k] - ref[k]));
      largest = Math.max(largest, Math.abs(ref[k]));
    }
  }
  return { count, agree, correct, maxRelError: worst / largest };
}
