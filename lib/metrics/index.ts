// Public API of the metrics (SPEC "Metrics"): errors, the paper's MIA and a stronger attack, decision
// regions and their similarity/change scores. Scoring functions are pure; feature extraction runs models.
export * from './predict';
export * from './errors';
export * from './features';
export * from './registry';
export * from './mia-protocol';
export * from './shuffle-split';
export * from './logistic';
export * from './kfold';
export * from './mia';
export * from './roc';
export * from './confidence-attack';
export * from './retrain-comparison';
export * from './membership';
export * from './plane';
export * from './decision-regions';
export * from './region-scores';
