/**
 * The page's fixed skeleton; panels (`data-panel`) are filled from each snapshot, charts (`data-chart`) are uPlot
 * instances created once. Static markup only: nothing from the server goes in here.
 */
export const DASHBOARD_LAYOUT = `
<header class="top">
  <div class="brand">
    <h1>Chorus <span>live federation</span></h1>
  </div>
  <div class="status">
    <span class="pill pending" data-panel="connection" data-testid="connection">Connecting…</span>
    <span class="phase" data-panel="phase" data-testid="phase">—</span>
  </div>
</header>
<div class="banner" data-panel="banner" role="status" hidden></div>
<section class="tiles">
  <article class="tile"><h2>Round</h2><div data-panel="round"></div></article>
  <article class="tile"><h2>Test accuracy</h2><div data-panel="headline"></div></article>
  <article class="tile"><h2>Clients</h2><div data-panel="client-summary"></div></article>
  <article class="tile"><h2>Model</h2><div data-panel="model"></div></article>
  <article class="tile wide" data-panel="privacy-tile" hidden><h2>Privacy</h2><div data-panel="privacy" data-testid="privacy"></div></article>
</section>
<section class="grid charts">
  <article class="card"><h2>Accuracy per round</h2><div class="chart" data-chart="accuracy" data-testid="accuracy-chart"></div></article>
  <article class="card"><h2>Loss per round</h2><div class="chart" data-chart="loss"></div></article>
  <article class="card"><h2>AUC per round</h2><div class="chart" data-chart="auc"></div></article>
  <article class="card"><h2>ROC curve <small data-panel="roc-caption"></small></h2><div class="chart" data-chart="roc"></div></article>
</section>
<section class="grid details">
  <div class="stack">
    <article class="card clients-card">
      <h2>Clients</h2>
      <div class="chips" data-panel="backends" data-testid="backends"></div>
      <div class="scroll" data-panel="clients" data-testid="clients"></div>
    </article>
    <article class="card"><h2>Rejected updates</h2><div data-panel="rejected" data-testid="rejected"></div></article>
  </div>
  <article class="card"><h2>Model versions</h2><div class="scroll" data-panel="versions" data-testid="versions"></div></article>
</section>
<footer class="foot">
  <a href="/">Contribute your browser</a> · <a href="/api/docs">API docs</a> · <a href="/metrics">Prometheus metrics</a>
</footer>
`;
