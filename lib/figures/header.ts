// The run header every notebook shows first: backend and versions, profile, and what it will compute.
import { ensureBackend } from '../backend/select';
import type { Profile } from '../experiment/profiles';
import { sweepSize } from '../experiment/sweep';
import type { UnlearningGoal } from '../data/splits';

/**
 * Markdown describing the backend and the profile (selecting the backend if not done yet).
 * @example
 * showMarkdown(await runHeader(profile, 'privacy'));
 */
export async function runHeader(profile: Profile, goal?: UnlearningGoal): Promise<string> {
  const b = await ensureBackend();
  const v = b.versions;
  const lines = [
    `**Backend** \`${b.choice}\`${b.forced ? ' (forced by UNLEARN_BACKEND)' : ''} · tfjs-core ${v['@tensorflow/tfjs-core']} · Node ${v.node}` +
      (Object.keys(b.skipped).length ? ` · skipped: ${Object.entries(b.skipped).map(([n, why]) => `${n} (${why.split(':')[0]})`).join(', ')}` : ''),
    `**Profile** \`${profile.name}\` (UNLEARN_PROFILE): ${profile.describe}`,
    `widths k = ${profile.widths.join(', ')} · seeds ${profile.seeds.join(', ')} · λ ∈ {${profile.lambdas.join(', ')}} · ${profile.data.split.forget} forget examples`,
  ];
  if (goal) lines.push(`**Sweep** goal \`${goal}\`: up to ${sweepSize({ profile, goal })} trainings; stored ones are reused from \`data/store\`.`);
  return lines.join('  \n');
}
