/**
 * What a study's rating form decided, as a person reads it: a choice's label or a slider's
 * mark with the number ("Good (1)"), and which trials hold the form's answers.
 *
 * An objective form gives objective i the answer of widget i; a user-attr form stores
 * each answer in the trial's user attr named by the widget's `user_attr_key`.
 */
import { formatNumber } from './components/format';
import { FormWidgetJSON, FormWidgets, JSONValue, TrialColumns, WireFloat } from './types';

/** "Good (1)": the label a widget gives `value`, with the number; null when it names none. */
export function answerLabel(widget: FormWidgetJSON, value: JSONValue | WireFloat): string | null {
  const n = typeof value === 'number' ? value : NaN;
  let label: string | undefined;
  if (widget.type === 'choice') {
    label = widget.choices[widget.values.indexOf(n)];
  } else if (widget.type === 'slider') {
    label = widget.labels?.find(l => l.value === n)?.label;
  }
  // The number as short as it is exact to 6 digits: "Mild (0.5)", not "Mild (0.500000)".
  return label === undefined ? null : `${label} (${Number(n.toPrecision(6))})`;
}

/** Objective `i`'s value as the form's answer reads, else the number. */
export function formatObjectiveValue(
  form: FormWidgets | null,
  i: number,
  value: WireFloat
): string {
  const widget = form?.output_type === 'objective' ? form.widgets[i] : undefined;
  return (widget && answerLabel(widget, value)) ?? formatNumber(value);
}

/** A trial's values, each as the form's answer reads: "Good (1), 0.25". */
export function formatValues(form: FormWidgets | null, values: WireFloat[]): string {
  return values.map((v, i) => formatObjectiveValue(form, i, v)).join(', ');
}

/** The widget of a user-attr form that stores its answer under `key`. */
function widgetOfAttr(form: FormWidgets | null, key: string): FormWidgetJSON | undefined {
  return form?.output_type === 'user_attr'
    ? form.widgets.find(w => w.type !== 'user_attr' && w.user_attr_key === key)
    : undefined;
}

/** A user attr as the form's answer reads (a text answer as typed), else as JSON. */
export function formatUserAttr(form: FormWidgets | null, key: string, value: JSONValue): string {
  const widget = widgetOfAttr(form, key);
  if (widget?.type === 'text' && typeof value === 'string') {
    return value;
  }
  return (widget && answerLabel(widget, value)) ?? JSON.stringify(value);
}

/** The user attrs a user-attr form must write for a trial to count as rated. */
function requiredKeys(form: FormWidgets): string[] {
  const keys: string[] = [];
  for (const w of form.widgets) {
    if (w.type !== 'user_attr' && w.user_attr_key && !(w.type === 'text' && w.optional)) {
      keys.push(w.user_attr_key);
    }
  }
  return keys;
}

/**
 * Rows of the trials that hold the form's answers, most recently finished first. Read
 * from the storage, so the count survives a reload and includes other people's ratings:
 * with an objective form, the complete trials; with a user-attr form, the trials holding
 * every answer it requires.
 */
export function ratedRows(form: FormWidgets, trials: TrialColumns): number[] {
  const keys = form.output_type === 'user_attr' ? requiredKeys(form) : [];
  const rows: number[] = [];
  for (let i = 0; i < trials.number.length; i++) {
    const attrs = trials.user_attrs[i] ?? {};
    if (
      form.output_type === 'objective'
        ? trials.state[i] === 'Complete'
        : keys.length > 0 && keys.every(k => k in attrs)
    ) {
      rows.push(i);
    }
  }
  const finished = (i: number) => trials.datetime_complete[i] ?? trials.datetime_start[i] ?? 0;
  return rows.sort((a, b) => finished(b) - finished(a) || trials.number[b] - trials.number[a]);
}

/** A rated trial's answers in one line: "Good (1)", or "mood: Good (1), why: too red". */
export function answerSummary(form: FormWidgets, trials: TrialColumns, row: number): string {
  if (form.output_type === 'objective') {
    return formatValues(form, trials.values[row] ?? []);
  }
  const attrs = trials.user_attrs[row] ?? {};
  const parts: string[] = [];
  for (const w of form.widgets) {
    const key = w.type === 'user_attr' ? null : w.user_attr_key;
    if (key && key in attrs) {
      parts.push(`${key}: ${formatUserAttr(form, key, attrs[key])}`);
    }
  }
  return parts.join(', ');
}
