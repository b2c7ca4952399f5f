import React from 'react';

import { FeedbackComponent, StudyDetail } from '../../types';
import { errorMessage, useClient } from '../context';
import { Select } from '../Select';

/** The user attr keys of the held trials whose values name one of the trial's artifacts. */
function artifactKeys(study: StudyDetail): string[] {
  const keys = new Set<string>();
  const { trials } = study;
  for (let i = 0; i < trials.number.length; i++) {
    const attrs = trials.user_attrs[i];
    const ids = new Set((trials.artifacts[String(trials.trial_id[i])] ?? []).map(a => a.artifact_id));
    for (const [key, value] of Object.entries(attrs ?? {})) {
      if (typeof value === 'string' && ids.has(value)) {
        keys.add(key);
      }
    }
  }
  return [...keys].sort();
}

/** Choose what each comparison card shows: the trial note, or an artifact. */
export function FeedbackSettings(props: {
  storageId: string;
  study: StudyDetail;
  onSaved: () => Promise<void>;
}): JSX.Element {
  const client = useClient();
  const stored = props.study.preference!.component;
  const [open, setOpen] = React.useState(false);
  const [kind, setKind] = React.useState(stored.output_type);
  const [key, setKey] = React.useState(stored.output_type === 'artifact' ? stored.artifact_key : '');
  const [saving, setSaving] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const suggestions = open ? artifactKeys(props.study) : [];

  const save = async () => {
    if (kind === 'artifact' && !key.trim()) {
      setError("Name the user attr that holds each trial's artifact id, e.g. image.");
      return;
    }
    const component: FeedbackComponent =
      kind === 'note' ? { output_type: 'note' } : { output_type: 'artifact', artifact_key: key.trim() };
    setSaving(true);
    setError(null);
    try {
      await client.setFeedbackComponent(props.storageId, props.study.study_id, component, stored);
      await props.onSaved();
      setOpen(false);
    } catch (e) {
      setError(errorMessage(e));
      await props.onSaved(); // a refusal means someone else changed it: show theirs
    } finally {
      setSaving(false);
    }
  };

  if (!open) {
    return (
      <button
        className="jp-mod-styled"
        onClick={() => {
          setKind(stored.output_type);
          setKey(stored.output_type === 'artifact' ? stored.artifact_key : '');
          setError(null);
          setOpen(true);
        }}
      >
        Feedback: {stored.output_type === 'note' ? 'note' : `artifact "${stored.artifact_key}"`}
      </button>
    );
  }
  return (
    <form
      className="jp-OptunaDashboard-feedbackSettings"
      onKeyDown={e => e.key === 'Escape' && setOpen(false)}
      onSubmit={e => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Show
        <Select autoFocus value={kind} onChange={e => setKind(e.target.value as FeedbackComponent['output_type'])}>
          <option value="note">the trial note</option>
          <option value="artifact">an artifact</option>
        </Select>
      </label>
      {kind === 'artifact' && (
        <label>
          named by the user attr
          <input
            value={key}
            list="jp-OptunaDashboard-artifactKeys"
            placeholder="e.g. image"
            onChange={e => setKey(e.target.value)}
          />
          <datalist id="jp-OptunaDashboard-artifactKeys">
            {suggestions.map(k => (
              <option key={k} value={k} />
            ))}
          </datalist>
        </label>
      )}
      <button className="jp-mod-styled jp-mod-accept" type="submit" disabled={saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
      <button className="jp-mod-styled" type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <span className="jp-OptunaDashboard-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
