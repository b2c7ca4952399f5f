import React from 'react';

import { isRecreated, mergeTrials } from '../trials';
import { DashboardAPIError } from '../client';
import { StudyDetail } from '../types';
import { errorMessage, useClient } from './context';

export interface StudyState {
  study: StudyDetail | null;
  error: string | null;
  /** The study is not in the storage any more (deleted elsewhere): polling has stopped. */
  gone: boolean;
  /** Changes arrive through the live channel (else by polling every interval). */
  live: boolean;
  refresh: () => Promise<void>;
}

/** The two details agree on everything but their trials and poll cursor. */
function sameStudy(a: StudyDetail, b: StudyDetail): boolean {
  const rest = ({ trials, cursor, ...others }: StudyDetail) => JSON.stringify(others);
  return rest(a) === rest(b);
}

/** While live, a poll this many intervals apart still catches what the channel missed. */
const LIVE_POLL_FACTOR = 6;

/**
 * A study kept up to date: the first request loads every trial, later ones pass the
 * server's cursor and merge what changed. They are sent when the live channel says the
 * storage changed, and every `intervalMs` while it cannot (0: only on demand).
 */
export function useStudy(storageId: string, studyId: number, intervalMs: number): StudyState {
  const client = useClient();
  const [study, setStudy] = React.useState<StudyDetail | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [gone, setGone] = React.useState(false);
  const [live, setLive] = React.useState(false);
  const held = React.useRef<StudyDetail | null>(null);
  const inFlight = React.useRef<Promise<void> | null>(null);

  const queued = React.useRef<Promise<void> | null>(null);

  // A refresh asked for during a request gets a request of its own after it: what the
  // caller just changed may have missed the one in flight.
  const refresh = React.useCallback((): Promise<void> => {
    if (inFlight.current) {
      queued.current ??= inFlight.current.then(() => {
        queued.current = null;
        return refresh();
      });
      return queued.current;
    }
    const previous = held.current;
    const request = client
      .getStudyDetail(storageId, studyId, previous?.cursor)
      .then(async update => {
        if (
          previous &&
          isRecreated(previous.trials, previous.n_trials, update.trials, update.n_trials)
        ) {
          // Deleted and created again elsewhere: nothing held belongs to it.
          update = await client.getStudyDetail(storageId, studyId);
          held.current = update;
          setError(null);
          setStudy(update);
          return;
        }
        const trials = previous ? mergeTrials(previous.trials, update.trials) : update.trials;
        setError(null);
        if (previous && trials === previous.trials && sameStudy(previous, update)) {
          // Nothing changed: keep the study the views hold, so none of them recomputes.
          held.current = { ...previous, cursor: update.cursor };
          return;
        }
        const next = { ...update, trials };
        held.current = next;
        setStudy(next);
      })
      .catch(e => {
        setError(errorMessage(e));
        if (e instanceof DashboardAPIError && e.status === 404) {
          setGone(true);
        }
      })
      .finally(() => {
        inFlight.current = null;
      });
    inFlight.current = request;
    return request;
  }, [client, storageId, studyId]);

  React.useEffect(() => {
    held.current = null;
    setStudy(null);
    setGone(false);
    void refresh();
  }, [refresh]);

  React.useEffect(() => {
    if (intervalMs <= 0 || gone) {
      setLive(false);
      return;
    }
    return client.watchChanges(storageId, event => {
      if (event === 'change') {
        void refresh();
      } else {
        setLive(event === 'live');
      }
    });
  }, [client, storageId, refresh, intervalMs, gone]);

  React.useEffect(() => {
    if (intervalMs <= 0 || gone) {
      return;
    }
    const every = live ? intervalMs * LIVE_POLL_FACTOR : intervalMs;
    const timer = window.setInterval(() => void refresh(), every);
    return () => window.clearInterval(timer);
  }, [refresh, intervalMs, gone, live]);

  return { study, error, gone, live, refresh };
}
