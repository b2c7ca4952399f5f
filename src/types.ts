/**
 * Wire types of the dashboard API: the one mirror of the Python serializers
 * (`jupyterlab_optuna/_core/serializers.py`, documented in docs/api.md).
 */

export type Direction = 'minimize' | 'maximize';

/** A storage opened before, with the artifact directory it was opened with. */
export interface RecentStorage {
  url: string;
  artifactDir: string | null;
}

export interface StorageInfo {
  storage_id: string;
  url: string;
  kind: 'rdb' | 'journal' | 'inmemory' | 'grpc';
  artifact_dir: string | null;
  /** False when opened without an artifact directory: artifacts cannot be read or added. */
  artifacts: boolean;
  label: string;
}

export interface StudySummary {
  study_id: number;
  study_name: string;
  directions: Direction[];
  metric_names: string[] | null;
  best_values: number[] | null;
  n_trials: number;
  is_preferential: boolean;
  user_attrs: Record<string, unknown>;
  datetime_start: string | null;
}

/** Who wrote something, when the server knew them (the Jupyter user's display name). */
export interface Stamp {
  user: string;
  /** Naive local ISO time of the machine that recorded it. */
  timestamp: string;
}

export interface NoteJSON {
  version: number;
  body: string;
  /** Who saved this version; absent when unknown. */
  saved_by?: Stamp;
}

export interface ArtifactMeta {
  artifact_id: string;
  filename: string;
  mimetype: string;
  encoding: string | null;
}

export type JSONValue =
  | null
  | boolean
  | number
  | string
  | JSONValue[]
  | { [key: string]: JSONValue };

export type DistributionJSON =
  | { type: 'float'; low: number; high: number; log: boolean; step: number | null }
  | { type: 'int'; low: number; high: number; log: boolean; step: number }
  | { type: 'categorical'; choices: JSONValue[] };

/** A float on the wire: non-finite values travel as strings. */
export type WireFloat = number | 'inf' | '-inf' | 'nan';

export type TrialState = 'Running' | 'Complete' | 'Pruned' | 'Fail' | 'Waiting';

/** Trials in columns: index i of every array describes one trial, sorted by number. */
export interface TrialColumns {
  number: number[];
  trial_id: number[];
  state: TrialState[];
  values: (WireFloat[] | null)[];
  datetime_start: (number | null)[];
  datetime_complete: (number | null)[];
  params: Record<string, (JSONValue | null)[]>;
  intermediate_values: ([number[], WireFloat[]] | null)[];
  user_attrs: (Record<string, JSONValue> | null)[];
  constraints: (WireFloat[] | null)[];
  notes: Record<string, NoteJSON>;
  /** Who rated (told, or filled the user-attr form of) a trial, by trial id. */
  raters: Record<string, Stamp>;
  artifacts: Record<string, ArtifactMeta[]>;
}

export interface ChoiceWidgetJSON {
  type: 'choice';
  description: string;
  choices: string[];
  values: number[];
  user_attr_key?: string | null;
}

export interface SliderWidgetJSON {
  type: 'slider';
  description: string;
  min: number;
  max: number;
  step: number | null;
  labels: { value: number; label: string }[] | null;
  user_attr_key?: string | null;
}

export interface TextWidgetJSON {
  type: 'text';
  description: string;
  optional: boolean;
  user_attr_key?: string | null;
}

export interface UserAttrRefJSON {
  type: 'user_attr';
  key: string;
}

export type FormWidgetJSON =
  | ChoiceWidgetJSON
  | SliderWidgetJSON
  | TextWidgetJSON
  | UserAttrRefJSON;

export interface FormWidgets {
  output_type: 'objective' | 'user_attr';
  widgets: FormWidgetJSON[];
}

/** What the comparison page shows for each trial. */
export type FeedbackComponent =
  | { output_type: 'note' }
  | { output_type: 'artifact'; artifact_key: string };

/** One "this is the worst of these" decision, as optuna-dashboard stores it. */
export interface PreferenceDecision {
  history: {
    mode: 'ChooseWorst';
    id: string;
    /** Naive local ISO time of the machine that recorded it. */
    timestamp: string;
    candidates: number[];
    clicked: number;
    preferences: [number, number][];
    /** Who decided (the Jupyter user's display name); absent in older records. */
    user?: string;
  };
  /** Undone: its preferences no longer count. */
  is_removed: boolean;
}

/** The state of a preferential study; trial numbers throughout. */
export interface PreferenceState {
  n_generate: number | null;
  component: FeedbackComponent;
  /** Trials to compare now: running or complete, never reported worse, not skipped. */
  active: number[];
  /** Reported better at least once, never worse, not skipped: the recommendation. */
  best: number[];
  worse: number[];
  skipped: number[];
  /** Oldest first. */
  history: PreferenceDecision[];
}

/** What a trial is to the preference model's page. */
export type UtilityRole = 'recommended' | 'best' | 'candidate';

/** The posterior of the utility at one trial. */
export interface UtilityEstimate {
  number: number;
  /** In this order when several: recommended, best, candidate. */
  roles: UtilityRole[];
  mean: number;
  sd: number;
}

/** The utility along one parameter, the others at the recommended trial's values. */
export interface UtilitySlice {
  param: string;
  distribution: DistributionJSON;
  /** The model's shortest lengthscale of the parameter (unit cube): shorter is more relevant. */
  lengthscale: number;
  /** The parameter's values (every choice of a categorical); `mean` and `sd` follow them. */
  values: JSONValue[];
  mean: number[];
  sd: number[];
  /** The compared trials and their values of the parameter. */
  rug: { numbers: number[]; values: JSONValue[] };
}

/** The posterior mean over the two most relevant numeric parameters; `mean[j][i]` at x[i], y[j]. */
export interface UtilityContour {
  x_param: string;
  y_param: string;
  x: number[];
  y: number[];
  mean: number[][];
}

export interface UtilityModel {
  /** The compared trial (not skipped) of highest posterior mean. */
  recommended: number;
  /** The model's search space, most relevant first. */
  params: string[];
  n_preferences: number;
  n_compared: number;
  /** The recommended trial, the best trials and the candidates, by number. */
  trials: UtilityEstimate[];
  slices: UtilitySlice[];
  contour: UtilityContour | null;
}

/** The preference model's view of a study; `model` is null (`message` says why) until it fits. */
export interface PreferenceUtility {
  model: UtilityModel | null;
  message: string | null;
}

export interface StudyDetail {
  study_id: number;
  study_name: string;
  directions: Direction[];
  metric_names: string[] | null;
  user_attrs: Record<string, JSONValue>;
  is_preferential: boolean;
  n_generate: number | null;
  /** Present for preferential studies only. */
  preference: PreferenceState | null;
  note: NoteJSON;
  form_widgets: FormWidgets | null;
  artifacts: ArtifactMeta[];
  plotly_graph_objects: { id: string; graph_object: string }[];
  distributions: Record<string, DistributionJSON>;
  intersection_search_space: string[];
  n_trials: number;
  trials: TrialColumns;
  cursor: { after: number; since: number };
}

export interface ParamImportance {
  name: string;
  importance: number;
  distribution: DistributionJSON;
}

/**
 * optuna.terminator's improvement curve of a one-objective study, computed by the server
 * in the background: each answer is the progress so far (docs/api.md).
 */
export interface TerminatorImprovement {
  status: 'running' | 'done' | 'failed';
  /** Why it failed (e.g. torch is missing); null otherwise. */
  message: string | null;
  /** Points computed so far, of `total`. */
  done: number;
  total: number;
  trial_numbers: number[];
  improvements: number[];
  /** The cross-validation error, when every complete trial reported its scores. */
  errors: number[] | null;
}

/** The error body every API route sends with a 4xx status. */
export interface ErrorBody {
  message: string;
  [key: string]: unknown;
}
