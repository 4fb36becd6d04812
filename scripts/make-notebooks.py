#!/usr/bin/env python3
"""Writes the notebooks' sources from the definitions below, keeping the committed outputs.

Run it after changing a notebook's text here; `npm run reproduce` refreshes the outputs. A code cell keeps the
outputs of the existing notebook's cell with the same source, else of the cell with the same id (so a reader
still sees the figures of an edited cell until the next run); --clear drops every output. Notebooks hold only
a header, one import cell, one config cell (the only literal settings), calls into lib/ and displays.
"""
import json, pathlib, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CITE = ("G. Alon, Y. Dar, *How Does Overparameterization Affect Machine Unlearning of Deep Neural Networks?*, "
        "arXiv [2503.08633](https://arxiv.org/abs/2503.08633)")
HEADER_IMPORTS = """import { getProfile } from './lib/experiment/profiles';
import { runHeader } from './lib/figures/header';
import { show, showTable, showMarkdown, progress } from './lib/notebook/display';"""
PROFILE_NOTE = ("The profile comes from the environment variable `UNLEARN_PROFILE` (`smoke`, `cpu` = default, `cpu-fmnist` = `cpu` on Fashion-MNIST, `paper`) of the "
                "notebook server (`UNLEARN_PROFILE=smoke npm run notebook`), or from the config cell (`getProfile('smoke')`); "
                "every trained model is stored under the hash of its full config in `data/store/`, so re-running, or running "
                "another figure notebook that needs the same models, recomputes nothing. Kernel > Interrupt stops a run at its "
                "next training step and keeps what finished; re-running the cell resumes.")
# Method ids (what a config lists) beside the labels the charts use (lib/plot/style.ts; test/notebook-sources.test.ts checks them).
METHODS = [("retrain", "retrain (oracle)"), ("finetune", "fine-tune"), ("gradAscent", "gradient ascent"), ("negGradPlus", "NegGrad+"),
           ("scrub", "SCRUB"), ("l1Sparse", "ℓ1-sparse"), ("randomLabel", "random labels")]
METHODS_NOTE = "**Methods** (config id → chart label): " + ", ".join(f"`{i}` → {l}" for i, l in METHODS) + "."
EXPLORE_NOTE = ("**Exploring.** Leave a config field out for the profile's value, or restrict it, e.g. "
                "`{ profile, methods: ['scrub'], widths: [2] }`; a misspelt id fails in the config cell, naming the valid ones. "
                "Any config other than the profile's defaults writes its tables and figures to `results/<profile>/explore/<hash>/` "
                "(the cell says where); only the defaults write the canonical `results/<profile>/` files that notebook 06 and "
                "`unlearn findings` read.")


def nb(cells, old=None):
    """The notebook of `cells`; code cells keep the outputs of `old`'s cell with the same source, else the same id."""
    old_cells = [c for c in (old or {}).get("cells", []) if c.get("cell_type") == "code"]
    by_source = {"".join(c["source"]): c for c in old_cells}
    by_id = {c.get("id"): c for c in old_cells}
    new_sources = {src.strip("\n") for kind, src in cells if kind == "code"}
    out = []
    for i, (kind, src) in enumerate(cells):
        c = {"cell_type": kind, "id": f"c{i:02d}", "metadata": {}, "source": src.strip("\n").splitlines(keepends=True)}
        if kind == "code":
            prev = by_source.get(src.strip("\n"))
            if prev is None and c["id"] in by_id and "".join(by_id[c["id"]]["source"]) not in new_sources:
                prev = by_id[c["id"]]
            c["execution_count"] = None
            c["outputs"] = prev.get("outputs", []) if prev else []
        out.append(c)
    language_info = (old or {}).get("metadata", {}).get("language_info") or {"name": "typescript", "file_extension": ".ts"}
    return {"cells": out, "metadata": {"kernelspec": {"display_name": "TypeScript (unlearn, tslab)", "language": "typescript", "name": "unlearn-tslab"},
            "language_info": language_info}, "nbformat": 4, "nbformat_minor": 5}


COMPACT_MIME = "application/vnd.plotly.v1+json"


def dumps(notebook):
    """JSON as scripts/run-notebooks.py writes it: indent 1, plotly figure outputs on one line each."""
    figures = []
    for cell in notebook["cells"]:
        for o in cell.get("outputs", []):
            if COMPACT_MIME in o.get("data", {}):
                figures.append(json.dumps(o["data"][COMPACT_MIME], ensure_ascii=False, separators=(",", ":")))
                o["data"][COMPACT_MIME] = f"@@compact-{len(figures) - 1}@@"
    text = json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True)
    for i, fig in enumerate(figures):
        text = text.replace(json.dumps(f"@@compact-{i}@@"), fig, 1)
    return text + "\n"


def width_notebook(nb_id, fig_id, title, claim, reads, extra_md="", extra_config=""):
    return [
        ("markdown", f"""
# {title}

**Claim reproduced.** {claim}

Source: {CITE}. {reads}

{PROFILE_NOTE} The run header below states this notebook's measured run time; all profiles' times are in `environment.md`.

{METHODS_NOTE}

{EXPLORE_NOTE}
{extra_md}"""),
        ("code", HEADER_IMPORTS + """
import { runFigure } from './lib/figures/run';
import type { FigureRunConfig } from './lib/figures/run';
import { describeFigureRun } from './lib/figures/describe';
import { figures } from './lib/figures/catalog';
import { aggregateSeeds } from './lib/results/aggregate';
import { metricTable } from './lib/results/summary';
import { widthFigure } from './lib/plot/width-figure';
import { saveFigurePng } from './lib/results/write';
import { repoRelative } from './lib/util/paths';"""),
        ("code", f"""
// Configuration: the only place with literal settings; a field left out takes the profile's value (shown below).
// Explore with e.g. `{{ profile, methods: ['scrub'], widths: [2] }}`: anything but the defaults writes to
// results/<profile>/explore/<hash>/. getProfile() reads UNLEARN_PROFILE; getProfile('smoke') picks one here.
const profile = getProfile();
const figure = '{fig_id}' as const;
const config = {{ profile{extra_config} }} satisfies FigureRunConfig;
showMarkdown(describeFigureRun(figure, config));"""),
        ("code", f"""showMarkdown(await runHeader(profile, figures[figure].goal, '{nb_id}'));"""),
        ("code", """
const run = await runFigure(figure, { ...config, progress: progress() });
const agg = aggregateSeeds(run.rows);
showMarkdown(`${run.rows.length} result rows → \\`${repoRelative(run.files.csv)}\\`${run.location.canonical ? '' : ' (exploration: the canonical tables are unchanged)'}`);"""),
        ("code", """
const fig = widthFigure(agg, figures[figure]);
await show(fig);
showMarkdown(`static image → \\`${repoRelative(await saveFigurePng(profile.name, figure, fig, run.files.dir))}\\``);"""),
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
        "`radiusFraction` × its distance to the nearer retain image — `radiusFraction: 0.5` (the default) in the config "
        "cell; another value is an exploration. The retrained model's scores against the original are the reference.",
        extra_config=", radiusFraction: 0.5"),
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

{METHODS_NOTE}

**Exploring.** The config cell starts from Fig. 4's defaults in `lib/figures/catalog.ts` (SCRUB tuned at λ = 0.4, the
profile's narrowest and widest width, seed 0, plane 0); override a field, e.g. `{{ profile, method: 'finetune', lambda: 0.6 }}`.
A config other than the defaults saves its image under `results/<profile>/explore/<hash>/`, never over the canonical one.
"""),
    ("code", HEADER_IMPORTS + """
import { regionExamples, regionExampleRows, regionExampleLocation } from './lib/figures/regions';
import type { RegionExampleConfig } from './lib/figures/regions';
import { describeRegionExample } from './lib/figures/describe';
import { regionsFigure } from './lib/plot/regions-figure';
import { saveFigurePng } from './lib/results/write';
import { repoRelative } from './lib/util/paths';
import { datasetClasses } from './lib/experiment/datasets';"""),
    ("code", """
// Configuration: which method (tuned at which λ), widths, seed and plane to draw; a field left out takes Fig. 4's
// default (shown below). getProfile() reads UNLEARN_PROFILE; getProfile('smoke') picks one here.
const profile = getProfile();
const config = { profile } satisfies RegionExampleConfig;
showMarkdown(describeRegionExample(config));"""),
    ("code", """showMarkdown(await runHeader(profile, 'privacy', '04-decision-regions'));"""),
    ("code", """
const examples = await regionExamples({ ...config, progress: progress() });
showTable(regionExampleRows(examples));"""),
    ("code", """
const fig = regionsFigure(examples, await datasetClasses(profile.data.dataset));
await show(fig);
showMarkdown(`static image → \\`${repoRelative(await saveFigurePng(profile.name, 'fig4-decision-regions', fig, regionExampleLocation(config).dir))}\\``);"""),
]

NOTEBOOKS["00-setup.ipynb"] = [
("markdown", """
# 00 · Set-up: backend, data and a first training run

This notebook checks the stack the figure notebooks stand on, for the reproduction of
G. Alon, Y. Dar, *How Does Overparameterization Affect Machine Unlearning of Deep Neural Networks?*
(arXiv 2503.08633):

1. which TensorFlow.js backend runs the compute (tfjs-node-gpu → tfjs-node → wasm → cpu; override with `UNLEARN_BACKEND`),
2. the data splits of the active profile (`UNLEARN_PROFILE`: `smoke`, `cpu` (default), `cpu-fmnist` (Fashion-MNIST) or `paper`; set it when
   starting the server, `UNLEARN_PROFILE=smoke npm run notebook`, or in the config cell with `getProfile('smoke')`),
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
(`results/<profile>/fig3-mia.csv`, `fig2-bias.csv`, `fig5-regions.csv`: the canonical tables of the profile's default
configs, never an exploration under `explore/`) and states whether they support it,
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
import { readFindingInputs } from './lib/results/read';
import { findings, findingsMarkdown, findingsTable } from './lib/results/findings';
"""),
("code", """
// Configuration: the profile (UNLEARN_PROFILE, default cpu), the tuning λ reported, and the verdict thresholds.
const profile = getProfile();
const options = { lambda: 0.4, nearChance: 0.05, modestCost: 0.05, biasShare: 0.5, keptSimilarity: 0.8 };
"""),
("code", """
const rows = readFindingInputs(profile.name); // fig3-mia (the privacy selections with their MIA), fig2-bias, fig5-regions
const checked = findings(rows, options);
showTable(findingsTable(checked));
"""),
("code", """
showMarkdown(findingsMarkdown(checked));
"""),
]

if __name__ == "__main__":
    args = sys.argv[1:]
    clear = "--clear" in args
    names = [a for a in args if a != "--clear"] or sorted(NOTEBOOKS)
    for name in names:
        path = ROOT / "notebooks" / name
        old = None if clear or not path.exists() else json.loads(path.read_text())
        path.write_text(dumps(nb(NOTEBOOKS[name], old)))
        print("wrote", path.relative_to(ROOT))
