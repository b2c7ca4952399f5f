import React from 'react';

import { TrialRow } from '../trials';
import { FormWidgetJSON, FormWidgets, JSONValue, StudyDetail } from '../types';
import { ErrorBanner } from './ErrorBanner';
import { errorMessage, useClient } from './context';
import { mayTakeFocus } from './focus';
import { useMediaGallery } from './useMediaGallery';

type Answer = number | string | null;

/** The value a widget contributes, or an error message when the answer is not usable. */
function widgetOutput(
  widget: FormWidgetJSON,
  answer: Answer,
  trial: TrialRow,
  mode: FormWidgets['output_type']
): { value: JSONValue } | { error: string } {
  switch (widget.type) {
    case 'choice':
    case 'slider':
      return typeof answer === 'number'
        ? { value: answer }
        : { error: `Answer "${widget.description}".` };
    case 'text': {
      const text = typeof answer === 'string' ? answer : '';
      if (!text && !widget.optional) {
        return { error: `"${widget.description}" needs an answer.` };
      }
      if (mode === 'user_attr') {
        return { value: text };
      }
      const number = Number(text);
      return text.trim() && Number.isFinite(number)
        ? { value: number }
        : { error: `"${widget.description}" needs a number.` };
    }
    case 'user_attr': {
      const value = trial.userAttrs[widget.key];
      return typeof value === 'number'
        ? { value }
        : { error: `The trial has no numeric user attribute "${widget.key}".` };
    }
  }
}

export interface RatingFormProps {
  storageId: string;
  study: StudyDetail;
  trial: TrialRow;
  /** Called after a successful submit (the caller moves to the next trial). */
  onSubmitted: () => void;
  /** Take the keyboard focus when a trial is shown, unless the person is typing. */
  autoFocus?: boolean;
}

/**
 * The study's registered form widgets for one running trial. Submitting tells the
 * trial (objective mode) or saves its user attrs (user-attr mode). Number keys pick
 * a choice of the first choice widget; Enter submits. A click on one of the trial's
 * images opens it full size.
 */
export function RatingForm(props: RatingFormProps): JSX.Element | null {
  const client = useClient();
  const form = props.study.form_widgets;
  const [answers, setAnswers] = React.useState<Answer[]>([]);
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const rootRef = React.useRef<HTMLFormElement>(null);

  // A poll that changes anything brings a new copy of the form: only another trial or
  // another form clears the answers, not a poll between a number key and Enter.
  const formKey = JSON.stringify(form ?? null);
  React.useEffect(() => {
    setAnswers((form?.widgets ?? []).map(() => null));
    setError(null);
  }, [props.trial.trialId, formKey]);

  React.useEffect(() => {
    if (props.autoFocus && mayTakeFocus(rootRef.current)) {
      rootRef.current?.focus({ preventScroll: true });
    }
  }, [props.trial.trialId]);

  // The trial's media (its note's images, its artifacts) open full size; the form sits
  // in the trial's detail (Lab panel) or card (notebook widget), which shows them.
  const viewer = useMediaGallery(
    rootRef,
    { scope: element => element.closest<HTMLElement>('[data-trial-number]') },
    [form !== null, props.trial.trialId]
  );

  const setAnswer = (index: number, answer: Answer) =>
    setAnswers(a => a.map((old, i) => (i === index ? answer : old)));

  const submit = async () => {
    if (!form || busy) {
      return;
    }
    const outputs = form.widgets.map((w, i) =>
      widgetOutput(w, answers[i] ?? null, props.trial, form.output_type)
    );
    const problem = outputs.find((o): o is { error: string } => 'error' in o);
    if (problem) {
      setError(problem.error);
      return;
    }
    const values = outputs.map(o => (o as { value: JSONValue }).value);
    setBusy(true);
    setError(null);
    try {
      const { storageId, study, trial } = props;
      if (form.output_type === 'objective') {
        await client.tellTrial(storageId, study.study_id, trial.trialId, 'Complete', values as number[]);
      } else {
        const attrs: Record<string, JSONValue> = {};
        form.widgets.forEach((w, i) => {
          if (w.type !== 'user_attr' && w.user_attr_key) {
            attrs[w.user_attr_key] = values[i];
          }
        });
        await client.setTrialUserAttrs(storageId, study.study_id, trial.trialId, attrs);
      }
      props.onSubmitted();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const target = event.target as HTMLElement;
    // Enter submits, also on the choice just picked (it keeps the focus after a click);
    // on another choice (reached with Tab) it picks that one, and on the Submit button
    // the browser submits by itself.
    const onPickedChoice =
      target.classList.contains('jp-OptunaDashboard-choice') &&
      target.getAttribute('aria-pressed') === 'true';
    if (event.key === 'Enter' && (target.tagName !== 'BUTTON' || onPickedChoice)) {
      event.preventDefault();
      void submit();
      return;
    }
    if (target.tagName === 'INPUT' && (target as HTMLInputElement).type === 'text') {
      return;
    }
    const choiceIndex = form?.widgets.findIndex(w => w.type === 'choice') ?? -1;
    const digit = Number(event.key);
    if (choiceIndex >= 0 && Number.isInteger(digit) && digit >= 1) {
      const widget = form!.widgets[choiceIndex] as Extract<FormWidgetJSON, { type: 'choice' }>;
      if (digit <= widget.values.length) {
        setAnswer(choiceIndex, widget.values[digit - 1]);
        event.preventDefault();
      }
    }
  };

  if (!form) {
    return null;
  }
  return (
    <form
      ref={rootRef}
      className="jp-OptunaDashboard-ratingForm"
      tabIndex={-1}
      onKeyDown={onKeyDown}
      onSubmit={e => {
        e.preventDefault();
        void submit();
      }}
    >
      {form.widgets.map((widget, i) => (
        <WidgetInput
          key={i}
          widget={widget}
          answer={answers[i] ?? null}
          trial={props.trial}
          onChange={a => setAnswer(i, a)}
        />
      ))}
      <ErrorBanner message={error} />
      <button className="jp-mod-styled jp-mod-accept" type="submit" disabled={busy}>
        {busy ? 'Submitting…' : 'Submit'}
      </button>
      {viewer}
    </form>
  );
}

function WidgetInput(props: {
  widget: FormWidgetJSON;
  answer: Answer;
  trial: TrialRow;
  onChange: (answer: Answer) => void;
}): JSX.Element {
  const { widget, answer } = props;
  switch (widget.type) {
    case 'choice':
      return (
        <fieldset className="jp-OptunaDashboard-widget" data-widget="choice">
          <legend>{widget.description}</legend>
          {widget.choices.map((choice, j) => (
            <button
              type="button"
              key={j}
              className={
                'jp-mod-styled jp-OptunaDashboard-choice' +
                (answer === widget.values[j] ? ' jp-mod-selected' : '')
              }
              aria-pressed={answer === widget.values[j]}
              title={`Key ${j + 1}`}
              onClick={() => props.onChange(widget.values[j])}
            >
              <span className="jp-OptunaDashboard-key">{j + 1}</span> {choice}
            </button>
          ))}
        </fieldset>
      );
    case 'slider': {
      const value = typeof answer === 'number' ? answer : null;
      return (
        <fieldset className="jp-OptunaDashboard-widget" data-widget="slider">
          <legend>
            {widget.description}: <strong>{value ?? '—'}</strong>
          </legend>
          <input
            type="range"
            min={widget.min}
            max={widget.max}
            step={widget.step ?? 'any'}
            value={value ?? (widget.min + widget.max) / 2}
            list={`slider-labels-${widget.description}`}
            onChange={e => props.onChange(Number(e.target.value))}
          />
          {widget.labels && (
            <div className="jp-OptunaDashboard-sliderLabels">
              {widget.labels.map(l => (
                <span key={l.value}>{l.label}</span>
              ))}
            </div>
          )}
        </fieldset>
      );
    }
    case 'text':
      return (
        <label className="jp-OptunaDashboard-widget" data-widget="text">
          {widget.description}
          {widget.optional ? ' (optional)' : ''}
          <input
            type="text"
            className="jp-mod-styled"
            value={typeof answer === 'string' ? answer : ''}
            onChange={e => props.onChange(e.target.value)}
          />
        </label>
      );
    case 'user_attr':
      return (
        <div className="jp-OptunaDashboard-widget" data-widget="user_attr">
          {widget.key}: <strong>{String(props.trial.userAttrs[widget.key] ?? '—')}</strong>
        </div>
      );
  }
}
