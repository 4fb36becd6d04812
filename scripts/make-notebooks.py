#!/usr/bin/env python3
"""Writes the notebooks' sources (cells, no outputs) from the definitions below.

Run it after changing a notebook's text here; then `npm run reproduce` fills the outputs. Notebooks hold only
a header, one import cell, one config cell (the only literal numbers), calls into lib/ and displays.
"""
import json, pathlib, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CITE = ("G. Alon, Y. Dar, *How Does Overparameterization Affect Machine Unlearning of Deep Neural Networks?*, "
        "arXiv [2503.08633](https://arxiv.org/abs/2503.08633)")
HEADER_IMPORTS = """import { getProfile } from './lib/experiment/profiles';
import { runHeader } from './lib/figures/header';
import { show, showTable, showMarkdown, progress } from './lib/notebook/display';"""
PROFILE_NOTE = ("The profile comes from the environment variable `UNLEARN_PROFILE` (`smoke`, `cpu` = default, `paper`); "
                "every trained model is stored under the hash of its full config in `data/store/`, so re-running, or running "
                "another figure notebook that needs the same models, recomputes nothing.")


def nb(cells):
    out = []
    for i, (kind, src) in enumerate(cells):
        c = {"cell_type": kind, "id": f"c{i:02d}", "metadata": {}, "source": src.strip("\n").splitlines(keepends=True)}
        if kind == "code":
            c["execution_count"] = None
            c["outputs"] = []
        out.append(c)
    return {"cells": out, "metadata": {"kernelspec": {"display_name": "TypeScript (unlearn, tslab)", "language": "typescript", "name": "unlearn-tslab"},
            "language_info": {"name": "typescript", "file_extension": ".ts"}}, "nbformat": 4, "nbformat_minor": 5}


def width_notebook(nb_id, fig_id, title, claim, reads, extra_md=""):
    return [
        ("markdown", f"""
# {title}

**Claim reproduced.** {claim}

Source: {CITE}. {reads}

{PROFILE_NOTE} The run header below states this notebook's measured run time; all profiles' times are in `environment.md`.
{extra_md}"""),
        ("code", HEADER_IMPORTS + """
import { runFigure } from './lib/figures/run';
import { figures } from './lib/figures/catalog';
import { aggregateSeeds } from './lib/results/aggregate';
import { metricTable } from './lib/results/summary';
import { widthFigure } from './lib/plot/width-figure';
import { saveFigurePng } from './lib/results/write';
import { repoRelative } from './lib/util/paths';"""),
        ("code", f"""
// Configuration: the only place with literal settings. Restrict widths/seeds/methods here to explore.
const profile = getProfile();
const figure = '{fig_id}' as const;
const config = {{ profile, widths: undefined, seeds: undefined, methods: undefined }};"""),
        ("code", f"""showMarkdown(await runHeader(profile, figures[figure].goal, '{nb_id}'));"""),
        ("code", """
const run = await runFigure(figure, { ...config, progress: progress() });
const agg = aggregateSeeds(run.rows);
showMarkdown(`${run.rows.length} result rows → \\`${repoRelative(run.files.csv)}\\``);"""),
        ("code", """
const fig = widthFigure(agg, figures[figure]);
await show(fig);
showMarkdown(`static image → \\`${repoRelative(await saveFigurePng(profile.name, figure, fig))}\\``);"""),
        ("code", """for (const panel of figures[figure].panels) { showMarkdown(`**${panel.title}** (mean ± std over seeds)`); showTable(metricTable(agg, panel.metric)); }"""),
    ]


NOTEBOOKS = {
    "01-privacy.ipynb": width_notebook(
        "01-privacy", "fig1-privacy", "01 · Unlearning for privacy vs width (Fig. 1)",
        "On wide (overparameterized) networks, unlearning tuned on validation data brings the forget error close to the "
        "validation error (the forget set looks like unseen data) at a modest cost in test error; on narrow networks the "
        "trade-off is worse.",
        "Each method is tuned per width, seed and λ by minimising J = λ·Err_val + (1 − λ)·|Err_forget − Err_val| over its "
        "grid (our reconstruction of the paper's objective; `lib/unlearn/tuning.ts`); test data and the retrained model "
        "never enter the selection. Marker size = λ."),
    "02-bias.ipynb": width_notebook(
        "02-bias", "fig2-bias", "02 · Unlearning for bias removal vs width (Fig. 2)",
        "When the forget examples were learned with biased labels, wide networks let unlearning stop predicting those "
        "labels at a modest test-error cost — but only methods that use the forget set (gradient ascent, NegGrad+, SCRUB, "
        "random labels) do it; fine-tune and ℓ1-sparse, which see only the retain set, keep the memorised bias.",
        "Bias goal (**reconstructed**): each forget example is trained with the label (class + 1) mod 10 "
        "(`SplitConfig.biasShift`); tuning minimises J = λ·Err_val − (1 − λ)·Err_forget(biased labels)."),
    "03-mia.ipynb": width_notebook(
        "03-mia", "fig3-mia", "03 · Membership inference vs width (Fig. 3)",
        "The original model's membership-inference accuracy on the forget set grows with width (wide models memorise); "
        "tuned unlearning brings it back near 0.5 (chance), like the retrained model.",
        "MIA as in the paper's appendix B.1: per-example cross-entropy losses, members = forget examples, non-members = "
        "as many held-out test examples, logistic regression (scikit-learn defaults) with stratified 5-fold cross "
        "validation; beside it a stronger attack, the AUC of the logit-scaled confidence log p_y − log(1 − p_y). "
        "This notebook reads the same privacy sweep as notebook 01."),
    "05-similarity.ipynb": width_notebook(
        "05-similarity", "fig5-regions", "05 · Similarity and change of decision regions vs width (Fig. 5)",
        "On wide networks unlearning changes the decision regions near the forget images and keeps them elsewhere: "
        "high similarity to the original away from the forget image, high change near it.",
        "Scores (eq. 9–10, **reconstructed**): on planes through one forget and two retain images, similarity = share of "
        "grid points outside the forget image's neighbourhood whose class is unchanged from the original; change = share "
        "of points inside it whose class changed. The neighbourhood is a disc around the forget image of radius "
        "`radiusFraction` (default 0.5) × its distance to the nearer retain image — set it in the config cell. The "
        "retrained model's scores against the original are the reference."),
}

NOTEBOOKS["04-decision-regions.ipynb"] = [
    ("markdown", f"""
# 04 · Decision regions of a narrow and a wide model (Fig. 4)

**Claim reproduced.** Unlearning a wide model changes its decision regions only around the forget image, where
they come to resemble the retrained model's, while a narrow model's regions change broadly or not where needed.

Source: {CITE}. Planes as in the paper's appendix D.1 (after Somepalli et al., CVPR 2022): through one forget
image x1 and two retain images x2, x3, with origin x1, a = (x2 − x1)/‖x2 − x1‖, b = the part of x3 − x1
orthogonal to a; the predicted class is drawn on a grid over the triangle's bounding box with a 10% margin.

{PROFILE_NOTE}
"""),
    ("code", HEADER_IMPORTS + """
import { regionExamples, regionExampleRows } from './lib/figures/regions';
import { regionsFigure } from './lib/plot/regions-figure';
import { saveFigurePng } from './lib/results/write';
import { repoRelative } from './lib/util/paths';
import { CIFAR10_CLASSES } from './lib/data/cifar-binary';"""),
    ("code", """
// Configuration: which method (tuned at which λ), which widths, seed and plane to draw.
const profile = getProfile();
const config = { profile, method: 'scrub' as const, lambda: 0.4, widths: [profile.widths[0], profile.widths[profile.widths.length - 1]], seed: 0, plane: 0 };"""),
    ("code", """showMarkdown(await runHeader(profile, 'privacy', '04-decision-regions'));"""),
    ("code", """
const examples = await regionExamples({ ...config, progress: progress() });
showTable(regionExampleRows(examples));"""),
    ("code", """
const fig = regionsFigure(examples, CIFAR10_CLASSES);
await show(fig);
showMarkdown(`static image → \\`${repoRelative(await saveFigurePng(profile.name, 'fig4-decision-regions', fig))}\\``);"""),
]

NOTEBOOKS["00-setup.ipynb"] = [
("markdown", """
# 00 · Set-up: backend, data and a first training run

This notebook checks the stack the figure notebooks stand on, for the reproduction of
G. Alon, Y. Dar, *How Does Overparameterization Affect Machine Unlearning of Deep Neural Networks?*
(arXiv 2503.08633):

1. which TensorFlow.js backend runs the compute (tfjs-node-gpu → tfjs-node → wasm → cpu; override with `UNLEARN_BACKEND`),
2. the CIFAR-10 splits of the active profile (`UNLEARN_PROFILE`: `smoke`, `cpu` (default) or `paper`),
3. a short training of the profile's narrowest model with live progress, and its loss curve.

The model is stored under the hash of its full config (`data/store/original/<hash>`): re-running the
notebook reuses it. Run time on 2 CPU cores: about 20 s at `smoke` and at `cpu` (times of every notebook: `environment.md`).
"""),
("code", """
import { ensureBackend } from './lib/backend/select';
import { getProfile } from './lib/experiment/profiles';
import { originalConfig } from './lib/experiment/configs';
import { trainOriginal } from './lib/experiment/original';
import { backendRows, dataRows, errorRows } from './lib/experiment/summary';
import { trainingCurves } from './lib/plot/training-curve';
import { show, showTable, showMarkdown, progress } from './lib/notebook/display';
"""),
("code", """
// Configuration: the profile comes from UNLEARN_PROFILE (default cpu); this run trains its narrowest width briefly.
const profile = getProfile();
const cell = { goal: 'privacy' as const, k: profile.widths[0], seed: 0 };
const recipe = { epochs: 3 };
"""),
("code", """
const backend = await ensureBackend();
showMarkdown(`**Profile \\`${profile.name}\\`**: ${profile.describe}`);
showTable(backendRows(backend));
"""),
("code", """
const config = await originalConfig(profile, cell, recipe);
showTable(await dataRows(config));
"""),
("code", """
const entry = await trainOriginal(config, { progress: progress() });
showMarkdown(`${entry.computed ? 'Trained' : 'Reused'} model \\`${entry.hash}\\` (${entry.result.params.toLocaleString('en-US')} parameters, ${entry.meta.seconds.toFixed(1)} s on ${entry.meta.backend}).`);
showTable(errorRows(entry), { digits: 3 });
"""),
("code", """
await show(trainingCurves(entry.result.history, `${config.model.arch} k=${config.model.k}: ${recipe.epochs} epochs`));
"""),
]

NOTEBOOKS["06-findings.ipynb"] = [
("markdown", f"""
# 06 · The paper's claims, checked against this profile's results

For each claim of {CITE}, this notebook reads the result tables the figure notebooks wrote
(`results/<profile>/fig1-privacy.csv`, `fig2-bias.csv`, `fig5-regions.csv`) and states whether they support it,
with the numbers (mean ± std over seeds; differences paired by seed) and the figure that shows it:

- (a) the original model's MIA accuracy grows with width;
- (b) tuned unlearning brings MIA near 0.5 with a modest test-error cost on wide models;
- (c) on wide models bias removal works only for methods that use the forget set;
- (d) on wide models unlearning changes decision regions near the forget example and keeps them elsewhere.

The verdict thresholds are in the config cell (`lib/results/findings.ts` documents them). It computes nothing
new: run notebooks 01, 02 and 05 first (or `npm run reproduce`). The same check runs from a shell as
`npx unlearn findings --profile cpu`; the README's findings section quotes it.
"""),
("code", """
import { getProfile } from './lib/experiment/profiles';
import { showTable, showMarkdown } from './lib/notebook/display';
import { readFigureRows } from './lib/results/read';
import { findings, findingsMarkdown, findingsTable } from './lib/results/findings';
"""),
("code", """
// Configuration: the profile (UNLEARN_PROFILE, default cpu), the tuning λ reported, and the verdict thresholds.
const profile = getProfile();
const options = { lambda: 0.4, nearChance: 0.05, modestCost: 0.05, biasShare: 0.5, keptSimilarity: 0.8 };
"""),
("code", """
const rows = { privacy: readFigureRows(profile.name, 'fig1-privacy'), bias: readFigureRows(profile.name, 'fig2-bias'), regions: readFigureRows(profile.name, 'fig5-regions') };
const checked = findings(rows, options);
showTable(findingsTable(checked));
"""),
("code", """
showMarkdown(findingsMarkdown(checked));
"""),
]

if __name__ == "__main__":
    names = sys.argv[1:] or sorted(NOTEBOOKS)
    for name in names:
        path = ROOT / "notebooks" / name
        path.write_text(json.dumps(nb(NOTEBOOKS[name]), indent=1, ensure_ascii=False) + "\n")
        print("wrote", path.relative_to(ROOT))
