// Classic Notebook 6 nbextension rendering application/vnd.plotly.v1+json outputs with plotly.js
// (follows notebook/js/outputarea.js register_mime_type; plotly.js is loaded from ./plotly.js, a symlink
// into node_modules/plotly.js-dist made by scripts/jupyter-setup.sh). Safe: renders in untrusted notebooks,
// since the output is data (plotly JSON), not code.
define(['require', 'jquery', 'base/js/namespace', 'notebook/js/outputarea'], function (require, $, Jupyter, outputarea) {
  'use strict';
  var MIME = 'application/vnd.plotly.v1+json';
  var loading = null;

  function loadPlotly() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.Plotly) return resolve(window.Plotly);
        // The bundle is not an AMD module: it sets window.Plotly.
        require(['./plotly'], function () {
          if (window.Plotly) resolve(window.Plotly);
          else reject(new Error('plotly.js loaded but window.Plotly is missing'));
        }, reject);
      });
    }
    return loading;
  }

  function appendPlotly(fig, md, element) {
    var toinsert = this.create_output_subarea(md, 'output_plotly rendered_html', MIME);
    var div = document.createElement('div');
    div.className = 'plotly-mime-figure';
    toinsert.append(div);
    element.append(toinsert);
    loadPlotly()
      .then(function (Plotly) {
        var config = $.extend({ responsive: true }, fig.config || {});
        return Plotly.newPlot(div, fig.data || [], fig.layout || {}, config);
      })
      .catch(function (e) {
        div.textContent = 'plotly-mime: cannot draw the figure (' + e + '); run scripts/jupyter-setup.sh';
      });
    return toinsert;
  }

  function register(oa) {
    if (oa.OutputArea.append_map[MIME]) return;
    oa.OutputArea.prototype.register_mime_type(MIME, appendPlotly, { safe: true, index: 0 });
  }

  function load_ipython_extension() {
    register(outputarea);
    // Outputs already on the page were drawn before the renderer existed: redraw them.
    if (Jupyter.notebook && Jupyter.notebook.get_cells) {
      Jupyter.notebook.get_cells().forEach(function (cell) {
        if (
          cell.output_area &&
          cell.output_area.outputs.some(function (o) {
            return o.data && o.data[MIME];
          })
        ) {
          var outputs = cell.output_area.outputs.slice();
          cell.output_area.clear_output(false, true);
          outputs.forEach(function (o) {
            cell.output_area.append_output(o);
          });
        }
      });
    }
  }

  return { load_ipython_extension: load_ipython_extension };
});
