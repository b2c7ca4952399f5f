import React from 'react';

import { DashboardAPIError } from '../client';
import { NoteJSON } from '../types';
import { ErrorBanner } from './ErrorBanner';
import { errorMessage, useClient } from './context';
import { formatStamp } from './format';
import { Markdown } from './Markdown';

export interface NoteEditorProps {
  storageId: string;
  studyId: number;
  /** null for the study's note. */
  trialId: number | null;
  note: NoteJSON;
  onSaved: (note: NoteJSON) => void;
}

/**
 * Drafts being edited, by note, for as long as the page lives: moving to another trial
 * or tab unmounts the editor, and must not lose what was typed.
 */
const drafts = new Map<string, { draft: string; base: NoteJSON }>();

/**
 * A Markdown note with an editor. Saving sends the stored version + 1; when someone else
 * saved first, the newer stored text is shown and the user chooses whose text to keep.
 * An unsaved draft is kept while the person looks at other trials or tabs.
 */
export function NoteEditor(props: NoteEditorProps): JSX.Element {
  const client = useClient();
  const key = `${props.storageId}/${props.studyId}/${props.trialId ?? 'study'}`;
  const kept = drafts.get(key);
  const [draft, setDraftState] = React.useState<string | null>(kept?.draft ?? null);
  const [base, setBase] = React.useState<NoteJSON>(kept?.base ?? props.note);
  const setDraft = (text: string | null, over: NoteJSON = base) => {
    // Only changed text is kept: an untouched editor reopens on the stored note.
    if (text === null || text === over.body) {
      drafts.delete(key);
    } else {
      drafts.set(key, { draft: text, base: over });
    }
    setDraftState(text);
  };
  const [preview, setPreview] = React.useState(false);
  const [conflict, setConflict] = React.useState<NoteJSON | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);

  // Follow the stored note while not editing; keep the draft while editing.
  React.useEffect(() => {
    if (draft === null) {
      setBase(props.note);
    }
  }, [props.note, draft]);

  const save = async (over: NoteJSON) => {
    if (draft === null) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await client.saveNote(props.storageId, props.studyId, props.trialId, {
        version: over.version + 1,
        body: draft
      });
      setBase(saved);
      setDraft(null);
      setConflict(null);
      props.onSaved(saved);
    } catch (e) {
      const stored = e instanceof DashboardAPIError && e.status === 409 ? e.body.note : null;
      if (stored) {
        setConflict(stored as NoteJSON);
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setBusy(false);
    }
  };

  if (draft === null) {
    return (
      <div className="jp-OptunaDashboard-note">
        {base.body ? (
          <Markdown source={base.body} storageId={props.storageId} />
        ) : (
          <div className="jp-OptunaDashboard-empty">No note yet.</div>
        )}
        {base.saved_by && (
          <div className="jp-OptunaDashboard-cardMeta" data-saved-by={base.saved_by.user}>
            Saved by {base.saved_by.user}, {formatStamp(base.saved_by.timestamp)}
          </div>
        )}
        <button className="jp-mod-styled" onClick={() => setDraft(base.body)}>
          Edit note
        </button>
      </div>
    );
  }
  const dirty = draft !== base.body;
  return (
    <div className="jp-OptunaDashboard-note jp-mod-editing">
      <div className="jp-OptunaDashboard-toolbar">
        <button className="jp-mod-styled" onClick={() => setPreview(p => !p)}>
          {preview ? 'Edit' : 'Preview'}
        </button>
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={busy || conflict !== null}
          onClick={() => void save(base)}
        >
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button
          className="jp-mod-styled"
          onClick={() => {
            if (!dirty || window.confirm('Discard your unsaved changes to the note?')) {
              setDraft(null);
              setConflict(null);
            }
          }}
        >
          Cancel
        </button>
        {dirty && <span className="jp-OptunaDashboard-cardMeta">Unsaved changes</span>}
      </div>
      {conflict && (
        <div className="jp-OptunaDashboard-conflict" role="alert">
          <p>
            Someone saved this note (version {conflict.version}) while you were editing. Their
            text:
          </p>
          <pre>{conflict.body}</pre>
          <button className="jp-mod-styled" onClick={() => void save(conflict)}>
            Keep mine (replace theirs)
          </button>{' '}
          <button
            className="jp-mod-styled"
            onClick={() => {
              setBase(conflict);
              setDraft(conflict.body, conflict);
              setConflict(null);
            }}
          >
            Take theirs
          </button>
        </div>
      )}
      <ErrorBanner message={error} />
      {preview ? (
        <Markdown source={draft} storageId={props.storageId} />
      ) : (
        <textarea
          className="jp-mod-styled jp-OptunaDashboard-noteText"
          aria-label="Note (Markdown)"
          value={draft}
          onChange={e => setDraft(e.target.value)}
        />
      )}
    </div>
  );
}
