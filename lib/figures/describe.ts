// What a notebook's config cell shows: the values that will run (the profile's where the config leaves a field
// out), the method ids beside their chart labels, and where the tables and figures will be written.
import type { Profile } from '../experiment/profiles';
import { methodNames } from '../unlearn/registry';
import { labelOf } from '../plot/style';
import { repoRelative } from '../util/paths';
import type { ResultLocation } from '../results/location';
import { figureLocation, resolveFigureConfig, type FigureRunConfig } from './run';
import { regionExampleLocation, resolveRegionExample, type RegionExampleConfig } from './regions';
import type { FigureId } from './catalog';
import { objectiveSource } from '../experiment/analysis';
import { defaultMiaProtocol, type MiaProtocol } from '../metrics/mia-protocol';

const miaLine = (m: MiaProtocol) =>
  `${m.cv} ×${m.folds}${m.cv === 'shuffle-split' ? ` (${m.testShare} test)` : ''}, non-members ${m.nonmembers}${m.clip !== null ? `, clip ±${m.clip}` : ''}, ${m.draws} draw${m.draws > 1 ? 's' : ''}`;

const code = (v: unknown): string => `\`${Array.isArray(v) ? v.join(', ') : String(v)}\``;

/** `scrub` (SCRUB), … for the given method ids. */
function methodList(ids: readonly string[]): string {
  return ids.map((m) => `\`${m}\` (${labelOf(m)})`).join(', ');
}

function whereLine(loc: ResultLocation): string {
  return loc.canonical
    ? `**Writes** the canonical tables and figures in \`${repoRelative(loc.dir)}/\` (the profile's default config).`
    : `**Explores** (${Object.keys(loc.overrides).join(', ')} differ from the profile's): writes to \`${repoRelative(loc.dir)}/\`; ` +
        `the canonical tables in \`${repoRelative(loc.dir.replace(/[\\/]explore[\\/][0-9a-f]+$/, ''))}/\`, read by notebook 06 and \`unlearn findings\`, stay as they are.`;
}

function profileLine(p: Profile): string {
  return `**Profile** \`${p.name}\` — chosen by \`UNLEARN_PROFILE\` when the notebook server starts (\`UNLEARN_PROFILE=smoke npm run notebook\`), or here with \`getProfile('smoke')\`.`;
}

/**
 * Markdown of what `runFigure(id, config)` will run and where it writes.
 * @example
 * showMarkdown(describeFigureRun('fig1-privacy', { profile, methods: ['scrub'] }));
 */
export function describeFigureRun(id: FigureId, config: FigureRunConfig): string {
  const r = resolveFigureConfig(id, config);
  const lines = [
    profileLine(config.profile),
    `**Runs** widths k = ${code(r.widths)} · seeds ${code(r.seeds)} · λ ∈ ${code(r.lambdas)}${
      r.regions
        ? ` · regions ${Object.entries(r.regions)
            .map(([k, v]) => `${k} ${code(v)}`)
            .join(', ')}`
        : ''
    }`,
    `**Analysis** (from stored features; changing it retrains nothing) objective ${code(objectiveSource(config.objective).split('\n')[0])} · MIA ${code(miaLine(config.mia ?? defaultMiaProtocol))} · panels ${code(r.panels.map((p) => p.metric))}${config.grids && Object.keys(config.grids).length ? ` · grid overrides ${code(JSON.stringify(config.grids))}` : ''}`,
    `**Methods** ${methodList(r.methods)}${config.methods ? '' : " (all; restrict with e.g. `methods: ['scrub']`)"}`,
    whereLine(figureLocation(id, config)),
  ];
  if (config.methods) lines.push(`Valid method ids: ${methodList(methodNames)}.`);
  return lines.join('  \n');
}

/**
 * Markdown of what `regionExamples(config)` will draw and where notebook 04 saves its image.
 * @example
 * showMarkdown(describeRegionExample({ profile }));
 */
export function describeRegionExample(config: RegionExampleConfig): string {
  const r = resolveRegionExample(config);
  return [
    profileLine(config.profile),
    `**Draws** method ${methodList([r.method])} tuned at λ = ${code(r.lambda)} (profile λ ∈ ${code(config.profile.lambdas)}) · widths k = ${code(r.widths)} · seed ${code(r.seed)} · plane ${code(r.plane)} of ${config.profile.planes}`,
    `Valid method ids: ${methodList(methodNames)}.`,
    whereLine(regionExampleLocation(config)),
  ].join('  \n');
}
