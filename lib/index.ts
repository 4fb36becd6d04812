// Public API of the reproduction (arXiv 2503.08633), one re-export line per module, lowest layer first
// (the layer order is checked by test/layering.test.ts). Notebooks import from './lib/index' (tslab needs the file).

// util (0): project paths, progress sinks, cancellation, errors, the seeded random source
export { repoRoot, dataRoot, storeRoot, resultsRoot, repoRelative } from './util/paths';
export type { DataRootOptions } from './util/paths';
export { silentProgress, formatDuration } from './util/progress';
export type { ProgressSink, ProgressState } from './util/progress';
export { cancellable, cancelRunning, CancelledError } from './util/cancel';
export { UsageError, DataError, DivergenceError } from './util/errors';
export { rng } from './util/rng';
export type { Rng } from './util/rng';

// backend (1): choosing and describing the TensorFlow.js backend
export { ensureBackend, backendInfo, computeIdentity, backendOrder } from './backend/select';
export type { BackendChoice, BackendInfo, ComputeIdentity } from './backend/select';

// data (2): data-set loaders, class names and the forget/retain/validation splits
export { loadCifar10, prepareCifar10, downloadCifar10, importCifar10, checkCifar10 } from './data/cifar10';
export { CIFAR10_CLASSES } from './data/cifar-binary';
export { loadFashionMnist, FASHION_MNIST_CLASSES } from './data/fashion-mnist';
export { loadTinyImageNet } from './data/tiny-imagenet';
export { loadImageFolder } from './data/image-folder';
export { makeSplits, splitSummary, DEFAULT_SPLIT_CONFIG } from './data/splits';
export type { Splits, SplitConfig, UnlearningGoal } from './data/splits';
export { describeDataset, subsetDataset } from './data/types';
export type { ImageDataset } from './data/types';

// models (2): the width-k architectures and their registry
export { createModel, forward, cloneModel, disposeModel, countParams, defaultSpec } from './models/model';
export { archs } from './models/registry';
export type { ArchName } from './models/registry';
export type { Model, ModelSpec, Arch } from './models/types';

// train (2): the one training loop and its optimizers
export { train, trainStep } from './train/loop';
export type { TrainOptions, TrainRecipe, TrainHistory, EpochStats, LossFn } from './train/loop';
export { createOptimizer, defaultSgd, defaultAdam } from './train/optimizer';
export type { OptimizerConfig } from './train/optimizer';

// metrics (2): MIA, confidence attack, errors, region scores, comparison with the retrained model
export { miaAccuracy } from './metrics/mia';
export type { MiaOptions, MiaResult } from './metrics/mia';
export { membershipReport } from './metrics/membership';
export type { MembershipReport } from './metrics/membership';
export { attackSummary, logitScaledConfidence } from './metrics/confidence-attack';
export type { AttackSummary } from './metrics/confidence-attack';
export { rocCurve, aucOf, tprAtFpr } from './metrics/roc';
export { errorRate, argmaxRows } from './metrics/errors';
export { splitFeatures, forgetFeatures, errorOf, splitErrorsOf, featuresFromJson, featuresToJson } from './metrics/features';
export type { ModelFeatures, SplitFeatures, ForgetFeatures, SplitErrors } from './metrics/features';
export { metrics, metricNames, metricReader, checkMetricNames } from './metrics/registry';
export type { MetricName, MetricDef, MetricInput, MetricValue, MetricParams, MetricReader } from './metrics/registry';
export { miaProtocols, defaultMiaProtocol, miaOfFeatures } from './metrics/mia-protocol';
export type { MiaProtocol, MiaSummary } from './metrics/mia-protocol';
export { stratifiedShuffleSplit } from './metrics/shuffle-split';
export { regionScores, changeCurve, connectedRegionMask } from './metrics/region-scores';
export type { RegionScores } from './metrics/region-scores';
export { compareWithRetrained, liraSummary } from './metrics/retrain-comparison';
export type { RetrainComparison } from './metrics/retrain-comparison';

// store (2): the content-addressed model/result store
export { cached, findEntry, listEntries, readEntry, loadEntryModel, storeKey } from './store/store';
export type { StoreEntry, StoreOptions } from './store/store';

// unlearn (3): the unlearning methods registry and hyperparameter selection
export { methods, methodNames, methodOf } from './unlearn/registry';
export type { MethodName } from './unlearn/registry';
export type { Method, MethodContext, UnlearnData } from './unlearn/types';
export { objective, selectBest, selectBy, paperObjective } from './unlearn/tuning';
export type { TuningObjective } from './unlearn/tuning';
export { grids, gridTable, methodGridOf } from './unlearn/grids';
export type { GridTable, GridOverrides, TunedMethodName } from './unlearn/grids';

// experiment (4): profiles, configs, training the original, unlearning, the sweep and tuning
export { getProfile, profiles } from './experiment/profiles';
export type { Profile, ProfileName } from './experiment/profiles';
export { originalConfig } from './experiment/configs';
export type { Cell } from './experiment/configs';
export { trainOriginal } from './experiment/original';
export type { OriginalConfig, OriginalResult } from './experiment/original';
export { runUnlearn, unlearnConfig } from './experiment/unlearn';
export type { UnlearnConfig, UnlearnResult } from './experiment/unlearn';
export { sweep, sweepSize, methodGrid } from './experiment/sweep';
export type { SweepOptions, SweepPoint } from './experiment/sweep';
export { scorePoints, tune, metricParams } from './experiment/analysis';
export type { AnalysisOptions, ScoredPoint, TunedPoint } from './experiment/analysis';
export { computeFeatures, modelFeatures, FEATURES_VERSION } from './experiment/features';
export { modelRegions } from './experiment/regions';
export type { StoredPlane, PlaneConfig } from './experiment/regions';
export { datasets, loadDataset, datasetClasses } from './experiment/datasets';
export type { DatasetName } from './experiment/datasets';
export { backendRows, dataRows, errorRows } from './experiment/summary';
export { runTimeLine } from './experiment/run-times';

// results (5): tidy rows, reading and writing result tables, aggregates, the README findings
export { sweepRows, tunedRows, evaluationMetrics } from './results/rows';
export type { ResultRow } from './results/rows';
export { parseResultRows, readFigureRows, readFindingInputs } from './results/read';
export { figurePaths, writeFigureResults, saveFigurePng } from './results/write';
export { aggregateSeeds } from './results/aggregate';
export type { AggregateRow } from './results/aggregate';
export { metricTable } from './results/summary';
export { findings, findingsTable, findingsMarkdown, findingsBesideMarkdown } from './results/findings';
export type { Finding, Verdict } from './results/findings';
export { resultLocation } from './results/location';
export type { ResultLocation } from './results/location';

// plot (5): pure builders from rows to plotly figures, and PNG rendering
export { widthFigure } from './plot/width-figure';
export type { WidthFigureOptions } from './plot/width-figure';
export { regionsFigure } from './plot/regions-figure';
export type { RegionExample } from './plot/regions-figure';
export { trainingCurves } from './plot/training-curve';
export { figureToJson, describeFigure } from './plot/figure';
export type { PlotlyFigure, PlotlyTrace } from './plot/figure';
export { methodColors, methodLabels, labelOf } from './plot/style';
export { renderPng, savePng, closeRenderer, configureRenderer } from './plot/render-png';
export type { PngOptions } from './plot/render-png';

// figures (6): the figure catalog and pipelines behind the notebooks
export { runFigure, resolveFigureConfig, figureLocation } from './figures/run';
export type { FigureRunConfig, FigureRun } from './figures/run';
export { figures } from './figures/catalog';
export type { FigureId, AnyFigureId } from './figures/catalog';
export { regionExamples, regionExampleRows, regionExampleLocation, regionExampleDefaults } from './figures/regions';
export type { RegionExampleConfig } from './figures/regions';
export { describeFigureRun, describeRegionExample } from './figures/describe';
export { runHeader } from './figures/header';

// notebook (6): display in tslab (plots, tables, markdown) and progress bars
export { show, showTable, showMarkdown, showText, progress, inNotebook } from './notebook/display';
export type { ShowOptions, ProgressOptions } from './notebook/display';
