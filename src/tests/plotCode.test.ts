import assert from 'node:assert/strict';
import { test } from 'node:test';

import { hypervolumeFigure, terminatorFigure } from '../plots/figures';
import { PlotSource, plotCode, plotObjective, pyRepr } from '../plots/plotCode';

const sqlite: PlotSource = {
  storage: { url: 'sqlite:///sunset.db', kind: 'rdb' },
  studies: ['sunset']
};

test('a chart of one study of a database, with its parameters and objective name', () => {
  const code = plotCode(sqlite, {
    fn: 'plot_parallel_coordinate',
    objective: plotObjective(0, ['beauty'], ['beauty']),
    args: [['params', ['red', 'green']]]
  });
  assert.equal(
    code,
    'import optuna\n' +
      'study = optuna.load_study(study_name="sunset", storage="sqlite:///sunset.db")\n' +
      'optuna.visualization.plot_parallel_coordinate(study, target_name="beauty", ' +
      'params=["red", "green"])\n'
  );
});

test('an unnamed single objective keeps optuna defaults; one of several is a target', () => {
  const single = plotCode(sqlite, {
    fn: 'plot_edf',
    objective: plotObjective(0, ['Value'], null)
  });
  assert.match(single, /\noptuna\.visualization\.plot_edf\(study\)\n$/);
  const second = plotCode(sqlite, {
    fn: 'plot_slice',
    objective: plotObjective(1, ['Objective 0', 'Objective 1'], null),
    args: [['params', ['x']]]
  });
  assert.ok(
    second.endsWith(
      'plot_slice(\n    study,\n    target=lambda t: t.values[1],\n' +
        '    target_name="Objective 1",\n    params=["x"],\n)\n'
    ),
    second
  );
});

test('a maximized objective is negated where optuna takes a target as minimized', () => {
  const code = plotCode(sqlite, {
    fn: 'plot_param_importances',
    objective: { ...plotObjective(1, ['cost', 'beauty'], ['cost', 'beauty']), negate: true }
  });
  assert.match(code, /target=lambda t: -t\.values\[1\],\n {4}target_name="beauty",\n/);
});

test('a masked password stays masked, and the code says where it goes', () => {
  const code = plotCode(
    { storage: { url: 'postgresql://ann:***@db.example/optuna', kind: 'rdb' }, studies: ['s'] },
    { fn: 'plot_timeline' }
  );
  assert.match(code, /# The password is not shown: put it in place of \*\*\* below\./);
  assert.match(code, /storage="postgresql:\/\/ann:\*\*\*@db\.example\/optuna"/);
  assert.doesNotMatch(plotCode(sqlite, { fn: 'plot_timeline' }), /password/);
});

test('journal files, gRPC proxies and in-memory studies', () => {
  const journal = plotCode(
    { storage: { url: '/data/run "1".log', kind: 'journal' }, studies: ['j'] },
    { fn: 'plot_timeline' }
  );
  assert.equal(
    journal,
    'import optuna\n' +
      'from optuna.storages import JournalStorage\n' +
      'from optuna.storages.journal import JournalFileBackend\n' +
      'storage = JournalStorage(JournalFileBackend("/data/run \\"1\\".log"))\n' +
      'study = optuna.load_study(study_name="j", storage=storage)\n' +
      'optuna.visualization.plot_timeline(study)\n'
  );
  const grpc = plotCode(
    { storage: { url: 'grpc://[::1]:13000', kind: 'grpc' }, studies: ['g'] },
    { fn: 'plot_timeline' }
  );
  assert.match(grpc, /storage = optuna\.storages\.GrpcStorageProxy\(host="::1", port=13000\)\n/);
  const memory = plotCode(
    { storage: { url: 'in-memory', kind: 'inmemory' }, studies: ['m'] },
    { fn: 'plot_timeline' }
  );
  assert.doesNotMatch(memory, /load_study/);
  assert.match(memory, /^import optuna\n# `study`: .*\noptuna\.visualization\.plot_timeline\(study\)\n$/);
});

test('several studies are loaded into a list; long calls take a line per argument', () => {
  const code = plotCode(
    { storage: sqlite.storage, studies: ['a', 'b'] },
    { fn: 'plot_optimization_history', objective: plotObjective(1, ['loss', 'accuracy'], ['loss', 'accuracy']) }
  );
  assert.equal(
    code,
    'import optuna\n' +
      'studies = [\n' +
      '    optuna.load_study(study_name="a", storage="sqlite:///sunset.db"),\n' +
      '    optuna.load_study(study_name="b", storage="sqlite:///sunset.db"),\n' +
      ']\n' +
      'optuna.visualization.plot_optimization_history(\n' +
      '    studies,\n' +
      '    target=lambda t: t.values[1],\n' +
      '    target_name="accuracy",\n' +
      ')\n'
  );
});

test('imports and Python expressions are written as given', () => {
  const code = plotCode(sqlite, {
    fn: 'plot_terminator_improvement',
    args: [
      ['plot_error', false],
      ['improvement_evaluator', { py: 'RegretBoundEvaluator(seed=0)' }]
    ],
    imports: ['from optuna.terminator import RegretBoundEvaluator']
  });
  assert.match(code, /^import optuna\nfrom optuna\.terminator import RegretBoundEvaluator\n/);
  assert.match(code, /plot_error=False,\n {4}improvement_evaluator=RegretBoundEvaluator\(seed=0\),\n/);
});

test('Python literals: numbers read back as the same doubles, strings escaped', () => {
  assert.equal(pyRepr([0.1 + 0.2, -3, 1e-7, 1e21]), '[0.30000000000000004, -3, 1e-7, 1e+21]');
  assert.equal(pyRepr([Infinity, -Infinity, NaN]), '[float("inf"), -float("inf"), float("nan")]');
  assert.equal(pyRepr(['a"b\\c\n', null, true]), '["a\\"b\\\\c\\n", None, True]');
});

test('the hypervolume and terminator figures carry their numbers as given', () => {
  const hv = hypervolumeFigure([0, 2], [1, 1.5], [3.25, -1]);
  assert.deepEqual((hv.data[0] as { y: number[] }).y, [1, 1.5]);
  assert.equal(
    (hv.layout.title as { text: string }).text,
    'Hypervolume history (reference point (3.25, -1))'
  );
  const answer = {
    status: 'done' as const,
    message: null,
    done: 2,
    total: 2,
    trial_numbers: [3, 7],
    improvements: [0.5, 0.25],
    errors: null
  };
  assert.equal(terminatorFigure(answer).data.length, 1);
  const withErrors = terminatorFigure({ ...answer, errors: [0.1, 0.2] });
  assert.deepEqual((withErrors.data[1] as { y: number[] }).y, [0.1, 0.2]);
});
