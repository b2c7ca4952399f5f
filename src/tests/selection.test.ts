import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Data } from 'plotly.js';

import { shownTrials } from '../components/TrialList';
import { parallelDimensions } from '../plots/parallel';
import {
  constraintRanges,
  constraintUpdates,
  highlightSelected,
  NO_RANGES,
  pointNumbers,
  selectByRanges,
  selectedImages,
  selectedNumbers,
  toRanges,
  withBrushes,
  withConstraints
} from '../selection';
import { localIsoTime, selectionCsvName, trialsCsv } from '../trialsCsv';
import { DistributionJSON, TrialState } from '../types';
import { columns } from './fixtures';

const logFloat: DistributionJSON = { type: 'float', low: 1, high: 1000, log: true, step: null };
const linear: DistributionJSON = { type: 'float', low: 0, high: 10, log: false, step: null };
const choice: DistributionJSON = { type: 'categorical', choices: ['a', 'b', 'c'] };

/** Trials with a log-scale `x`, a categorical `y` and one objective. */
function study() {
  const c = columns([
    { number: 0, state: 'Complete', value: 5, x: 1 },
    { number: 1, state: 'Complete', value: 2, x: 10 },
    { number: 2, state: 'Running', x: 100 },
    { number: 3, state: 'Complete', value: 9, x: 100 },
    { number: 4, state: 'Complete', value: 1, x: 1000 }
  ]);
  (c.params as Record<string, unknown[]>).y = ['a', 'b', 'c', 'c', null];
  c.values[3] = ['inf'];
  return { trials: c, distributions: { x: logFloat, y: choice } };
}

test('constraint ranges come in plotly forms: none, one range, several, reversed', () => {
  assert.deepEqual(toRanges(null), []);
  assert.deepEqual(toRanges(undefined), []);
  assert.deepEqual(toRanges([2, 1]), [[1, 2]]);
  assert.deepEqual(toRanges([[0, 1], [3, 4]]), [[0, 1], [3, 4]]);
  // a restyle event wraps the value once more, one entry per trace
  assert.deepEqual(toRanges([[[0, 1]]]), [[0, 1]]);
  assert.deepEqual(toRanges(['a', 'b']), []);
});

test('a restyle event of the parallel coordinate plot gives the brushed dimensions', () => {
  const updates = constraintUpdates([
    { 'dimensions[1].constraintrange': [[0.5, 1.5]], 'dimensions[0].constraintrange': null },
    [0]
  ]);
  assert.deepEqual([...updates], [[1, [[0.5, 1.5]]], [0, []]]);
  // an axis moved to another place restyles the dimensions, which selects nothing new
  assert.equal(constraintUpdates([{ dimensions: [[]] }, [0]]).size, 0);
  assert.equal(constraintUpdates(undefined).size, 0);
});

test('brushes are kept by parameter name and by objective, and cleared ones removed', () => {
  const names = ['x', 'y'];
  const one = withConstraints(NO_RANGES, new Map([[0, [[0, 1]] as [number, number][]]]), names, 0);
  const two = withConstraints(one, new Map([[2, [[1, 3]] as [number, number][]]]), names, 0);
  assert.deepEqual(two, { params: { x: [[0, 1]] }, values: { 0: [[1, 3]] } });
  const cleared = withConstraints(two, new Map([[0, []]]), names, 0);
  assert.deepEqual(cleared, { params: {}, values: { 0: [[1, 3]] } });
  assert.deepEqual(NO_RANGES, { params: {}, values: {} }, 'the input is not changed');
  // drawn again in plotly's form, in the plot's order of dimensions
  assert.deepEqual(constraintRanges(two, names, 0), [[0, 1], undefined, [1, 3]]);
  const several = { params: { y: [[0, 0], [2, 2]] as [number, number][] }, values: {} };
  assert.deepEqual(constraintRanges(several, names, 0), [undefined, [[0, 0], [2, 2]], undefined]);
});

test('ranges on a log axis are in log10 units, as the plot draws the axis', () => {
  const { trials, distributions } = study();
  // log10(x) within [0.5, 2.5]: x = 10 and 100; trial 3 has no finite value, 2 runs
  const ranges = { params: { x: [[0.5, 2.5]] as [number, number][] }, values: {} };
  assert.deepEqual(selectByRanges(trials, distributions, 0, ranges), [1]);
  // the same units as the plot's dimension
  const dims = parallelDimensions(trials, distributions, 0, 'loss');
  assert.deepEqual(dims[0].values, [0, 1, 3]);
});

test('ranges on a categorical axis are over the choices\' indices', () => {
  const { trials, distributions } = study();
  const b = { params: { y: [[0.5, 1.5]] as [number, number][] }, values: {} };
  assert.deepEqual(selectByRanges(trials, distributions, 0, b), [1]);
  const aOrC = { params: { y: [[-0.2, 0.2], [1.8, 2.2]] as [number, number][] }, values: {} };
  // trial 4 lacks `y`: out of any brush on it
  assert.deepEqual(selectByRanges(trials, distributions, 0, aOrC), [0]);
});

test('every brushed axis must hold the trial, the objective axis by its value', () => {
  const { trials, distributions } = study();
  const low = { params: {}, values: { 0: [[0, 4]] as [number, number][] } };
  assert.deepEqual(selectByRanges(trials, distributions, 0, low), [1, 4]);
  const lowAndSmallX = { params: { x: [[0, 1.5]] as [number, number][] }, values: low.values };
  assert.deepEqual(selectByRanges(trials, distributions, 0, lowAndSmallX), [1]);
  // no brush: every trial the plot draws
  assert.deepEqual(selectByRanges(trials, distributions, 0, NO_RANGES), [0, 1, 4]);
});

test('picked points select their trials, those still in the study, ascending', () => {
  const { trials, distributions } = study();
  const picked = { kind: 'points' as const, source: 'history', numbers: [4, 1, 1, 99] };
  assert.deepEqual(selectedNumbers(trials, distributions, picked), [1, 4]);
  assert.deepEqual(
    pointNumbers({ points: [{ customdata: 4 }, { customdata: 1 }, { customdata: 4 }, {}] }),
    [1, 4]
  );
  assert.equal(pointNumbers(undefined), null);
  assert.deepEqual(pointNumbers({ points: [] }), []);
});

test('selected points stand out on marker traces with trial numbers only', () => {
  const data = [
    { type: 'scatter', mode: 'markers', x: [0, 1, 2], customdata: [0, 1, 2] },
    { type: 'scatter', mode: 'lines', x: [0, 1, 2] }
  ] as Data[];
  assert.equal(highlightSelected(data, null), data);
  const [markers, line] = highlightSelected(data, new Set([2, 0]));
  assert.deepEqual((markers as { selectedpoints: number[] }).selectedpoints, [0, 2]);
  assert.equal(line, data[1]);
  assert.equal((data[0] as { selectedpoints?: unknown }).selectedpoints, undefined);
});

test('brushes are drawn on copies of the dimensions', () => {
  const dims = [{ label: 'x' }, { label: 'y' }];
  const drawn = withBrushes(dims, [[0, 1], undefined]);
  assert.deepEqual(drawn, [{ label: 'x', constraintrange: [0, 1] }, { label: 'y' }]);
  assert.notEqual(drawn[1], dims[1]);
});

test('the trial list shows only the selected trials when some are', () => {
  const { trials } = study();
  const all = new Set<TrialState>(['Running', 'Complete']);
  assert.deepEqual(shownTrials(trials, all, 'number', false, 0, new Set([1, 3])), [1, 3]);
  assert.deepEqual(shownTrials(trials, all, 'number', false, 0, null).length, 5);
});

test('the selected trials\' images, in the order of trials', () => {
  const { trials } = study();
  const image = { artifact_id: 'a', filename: 'a.png', mimetype: 'image/png', encoding: null };
  const svg = { artifact_id: 's', filename: 's.svg', mimetype: 'image/svg+xml', encoding: null };
  const text = { artifact_id: 't', filename: 't.txt', mimetype: 'text/plain', encoding: null };
  trials.artifacts['104'] = [image, svg, text];
  trials.artifacts['101'] = [{ ...image, artifact_id: 'b' }];
  trials.artifacts['100'] = [{ ...image, artifact_id: 'c' }];
  const images = selectedImages(trials, new Set([4, 1]));
  assert.deepEqual(
    images.map(i => [i.number, i.trialId, i.artifact.artifact_id]),
    [
      [1, 101, 'b'],
      [4, 104, 'a']
    ]
  );
});

test('the CSV of selected trials has the columns of the server\'s export', () => {
  const { trials } = study();
  trials.user_attrs[1] = { note: 'a, "quoted"', tags: ['x', 1], ok: true };
  const csv = trialsCsv({ directions: ['minimize'], metric_names: null, trials }, [1, 3]);
  const lines = csv.split('\r\n');
  assert.equal(
    lines[0],
    'number,state,value,datetime_start,datetime_complete,params_x,params_y,' +
      'user_attrs_note,user_attrs_ok,user_attrs_tags'
  );
  assert.equal(lines.length, 4, 'a header, two rows and the final line end');
  const row1 = lines[1].split(',');
  assert.deepEqual(row1.slice(0, 3), ['1', 'Complete', '2']);
  assert.equal(row1[3], localIsoTime(1000));
  assert.ok(lines[1].endsWith(',10,b,"a, ""quoted""",True,"[""x"", 1]"'), lines[1]);
  assert.ok(lines[2].startsWith('3,Complete,inf,'));
  // named objectives name their columns
  const named = trialsCsv({ directions: ['minimize'], metric_names: ['loss'], trials }, [0]);
  assert.ok(named.startsWith('number,state,loss,'));
});

test('local times read as Python\'s isoformat, with microseconds when there are some', () => {
  const t = new Date(2024, 0, 2, 3, 4, 5).getTime();
  assert.equal(localIsoTime(t), '2024-01-02 03:04:05');
  assert.equal(localIsoTime(t + 250), '2024-01-02 03:04:05.250000');
  assert.equal(localIsoTime(null), '');
  assert.equal(selectionCsvName('a/b:c'), 'a_b_c-selection.csv');
});

test('linear parameters select by their values', () => {
  const c = columns([
    { number: 0, state: 'Complete', value: 1, x: 2 },
    { number: 1, state: 'Complete', value: 1, x: 7 }
  ]);
  const ranges = { params: { x: [[5, 8]] as [number, number][] }, values: {} };
  assert.deepEqual(selectByRanges(c, { x: linear }, 0, ranges), [1]);
});
