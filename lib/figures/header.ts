// The run header every notebook shows first: backend and versions, profile, and what it will compute.
import { ensureBackend } from '../backend/select';
import { adapterLabel } from '../backend/webgpu/adapter';
import type { Profile } from '../experiment/profiles';
import { sweepSize } from '../experiment/sweep';
import type { UnlearningGoal } from '../data/splits';
import { runTimeLine, type NotebookId } from '../experiment/run-times';

/**
 * Markdown describing the backend, the profile, what the sweep computes and (given the notebook) its measured
 * run time (selecting the backend if not done yet).
 * @example
 * showMarkdown(await runHeader(profile, 'privacy', '01-privacy'));
 */
export async function runHeader(profile: Profile, goal?: UnlearningGoal, notebook?: NotebookId): Promise<string> {
  const b = await ensureBackend();
  const v = b.versions;
  const lines = [
    `**Backend** \`${b.choice}\`${b.adapter ? ` on ${adapterLabel(b.adapter)}` : ''}${b.forced ? ' (forced by UNLEARN_BACKEND)' : ''}${b.precision === 'bf16' ? ' with bf16 convolutions' : ''} · tfjs-core ${v['@tensorflow/tfjs-core']} · Node ${v.node}` +
      (Object.keys(b.skipped).length
        ? ` · skipped: ${Object.entries(b.skipped)
            .map(([n, why]) => `${n} (${why.split(':')[0]})`)
            .join(', ')}`
        : ''),
    `**Profile** \`${profile.name}\` (UNLEARN_PROFILE): ${profile.describe}`,
    `widths k = ${profile.widths.join(', ')} · seeds ${profile.seeds.join(', ')} · λ ∈ {${profile.lambdas.join(', ')}} · ${profile.data.split.forget} forget examples`,
  ];
  if (goal)
    lines.push(`**Sweep** goal \`${goal}\`: up to ${sweepSize({ profile, goal })} trainings; stored ones are reused from \`data/store\`.`);
  if (notebook) lines.push(runTimeLine(profile.name, notebook));
  return lines.join('  \n');
}
