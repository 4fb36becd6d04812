// Shared plot style: one colour per method (references in black and grey), marker size by λ.

/** Colour of each method; unknown names get a fallback. */
export const methodColors: Record<string, string> = {
  original: '#000000',
  retrain: '#7f7f7f',
  finetune: '#1f77b4',
  gradAscent: '#ff7f0e',
  negGradPlus: '#2ca02c',
  scrub: '#d62728',
  scrubR: '#e377c2',
  l1Sparse: '#9467bd',
  randomLabel: '#8c564b',
};

/** Display names of methods. */
export const methodLabels: Record<string, string> = {
  original: 'original',
  retrain: 'retrain (oracle)',
  finetune: 'fine-tune',
  gradAscent: 'gradient ascent',
  negGradPlus: 'NegGrad+',
  scrub: 'SCRUB',
  scrubR: 'SCRUB+R',
  l1Sparse: 'ℓ1-sparse',
  randomLabel: 'random labels',
};

export const colorOf = (method: string): string => methodColors[method] ?? '#17becf';
export const labelOf = (method: string): string => methodLabels[method] ?? method;

/** Marker size for a λ (the paper's figures: marker size = λ). */
export const markerSize = (lambda: number | null): number => (lambda === null ? 7 : 4 + 14 * lambda);
