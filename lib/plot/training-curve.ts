// Plot builder: training loss and accuracy per epoch from a TrainHistory (pure: history → plotly figure).
import type { TrainHistory } from '../train/loop';
import type { PlotlyFigure } from './figure';

/**
 * Loss (left axis) and training accuracy (right axis) per epoch, one pair of traces per phase.
 * @example
 * await show(trainingCurves(entry.result.history, 'original k=16'));
 */
export function trainingCurves(history: TrainHistory, title = 'Training'): PlotlyFigure {
  const phases = [...new Set(history.epochs.map((e) => e.phase))];
  const data = phases.flatMap((phase) => {
    const rows = history.epochs.filter((e) => e.phase === phase);
    const x = rows.map((e) => e.epoch);
    const traces = [{ type: 'scatter', mode: 'lines+markers', name: `${phase} loss`, x, y: rows.map((e) => e.loss), yaxis: 'y' }];
    if (rows.some((e) => e.acc !== null)) {
      traces.push({ type: 'scatter', mode: 'lines+markers', name: `${phase} accuracy`, x, y: rows.map((e) => e.acc ?? NaN), yaxis: 'y2' });
    }
    return traces;
  });
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'epoch' }, dtick: 1 },
      yaxis: { title: { text: 'cross-entropy (training batches)' }, rangemode: 'tozero' },
      yaxis2: { title: { text: 'training accuracy' }, overlaying: 'y', side: 'right', range: [0, 1] },
      legend: { orientation: 'h', y: -0.2 },
    },
  };
}
