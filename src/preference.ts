/**
 * Pure helpers of the preferential pages: which decision Undo withdraws, how trials
 * rank from the recorded preferences, and which artifact a card shows.
 */
import { ArtifactMeta, FeedbackComponent, PreferenceDecision, TrialColumns } from './types';

/** How many decisions still count (undone ones do not). */
export function decisionsInEffect(history: PreferenceDecision[]): number {
  return history.filter(h => !h.is_removed).length;
}

/**
 * Who made the decision: the name recorded with it, or null for a record from before
 * names were kept (or one whose name is blank or not text).
 */
export function raterOf(decision: PreferenceDecision): string | null {
  const user: unknown = decision.history.user;
  return typeof user === 'string' && user.trim() !== '' ? user.trim() : null;
}

/** The most recent decision that still counts (what Undo withdraws), or null. */
export function lastDecision(history: PreferenceDecision[]): PreferenceDecision | null {
  for (let i = history.length - 1; i >= 0; i--) {
    if (!history[i].is_removed) {
      return history[i];
    }
  }
  return null;
}

/**
 * A score per compared trial: times reported better minus times reported worse
 * (undone decisions excluded). Higher is preferred; a coarse ranking for plots.
 */
export function preferenceScores(history: PreferenceDecision[]): Map<number, number> {
  const scores = new Map<number, number>();
  const add = (n: number, d: number) => scores.set(n, (scores.get(n) ?? 0) + d);
  for (const decision of history) {
    if (decision.is_removed) {
      continue;
    }
    for (const [better, worse] of decision.history.preferences) {
      add(better, 1);
      add(worse, -1);
    }
  }
  return scores;
}

/** The row of each trial number among the held trials (numbers are sorted). */
export function rowsOf(trials: TrialColumns, numbers: number[]): number[] {
  const rows: number[] = [];
  for (const n of numbers) {
    // Trials arrive in number order with no gaps, so the number is usually the row.
    const i = trials.number[n] === n ? n : trials.number.indexOf(n);
    if (i >= 0) {
      rows.push(i);
    }
  }
  return rows;
}

/**
 * What a card shows for the trial in `row`: its note, or the artifact whose id is the
 * trial's user attr named by the component (with a message when it is missing).
 */
export type CardContent =
  | { kind: 'note'; body: string }
  | { kind: 'artifact'; artifact: ArtifactMeta }
  | { kind: 'missing'; message: string };

export function cardContent(
  trials: TrialColumns,
  row: number,
  component: FeedbackComponent
): CardContent {
  if (component.output_type === 'note') {
    return { kind: 'note', body: trials.notes[String(trials.trial_id[row])]?.body ?? '' };
  }
  const key = component.artifact_key;
  const id = trials.user_attrs[row]?.[key];
  if (typeof id !== 'string') {
    return { kind: 'missing', message: `No artifact yet (user attr "${key}" is not set).` };
  }
  const artifact = (trials.artifacts[String(trials.trial_id[row])] ?? []).find(
    a => a.artifact_id === id
  );
  return artifact
    ? { kind: 'artifact', artifact }
    : { kind: 'missing', message: `Artifact ${id} (user attr "${key}") is not uploaded yet.` };
}
