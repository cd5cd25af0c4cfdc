import { OKABE_ITO } from '../../shared/metrics/svg/palette.ts';
import type { FederationState } from '../../shared/protocol/dashboard.ts';
import { LineChart } from './charts.ts';
import { connectDashboard } from './connection.ts';
import { backendCounts, clientSummary, headline, recentVersions, rejectedRows, rocColumns, roundProgress, roundSeries } from './derive.ts';
import { controlState, federationLabel } from './format.ts';
import { DASHBOARD_LAYOUT } from './layout.ts';
import {
  backendChips,
  clientsTable,
  clientSummaryPanel,
  connectionView,
  headlinePanel,
  modelPanel,
  privacyPanel,
  rejectedTable,
  roundPanel,
  versionsTable,
  type ConnectionStatus,
} from './views.ts';

const [BLUE, VERMILLION, GREEN, , , , BLACK] = OKABE_ITO;

interface Charts {
  accuracy: LineChart;
  loss: LineChart;
  auc: LineChart;
  roc: LineChart;
}

function createCharts(root: HTMLElement): Charts {
  const slot = (name: string) => root.querySelector<HTMLElement>(`[data-chart="${name}"]`) as HTMLElement;
  return {
    accuracy: new LineChart(slot('accuracy'), {
      xLabel: 'Round',
      yBounds: [0, 1],
      minSpan: 0.2,
      percent: true,
      series: [
        { label: 'Test accuracy', color: BLUE },
        { label: 'Federated (clients’ held-out)', color: GREEN, dashed: true },
      ],
    }),
    loss: new LineChart(slot('loss'), {
      xLabel: 'Round',
      yBounds: [0, Number.POSITIVE_INFINITY],
      minSpan: 0.05,
      series: [
        { label: 'Train loss', color: VERMILLION },
        { label: 'Test loss', color: BLUE },
      ],
    }),
    auc: new LineChart(slot('auc'), { xLabel: 'Round', yBounds: [0, 1], minSpan: 0.1, series: [{ label: 'Test AUC', color: GREEN }] }),
    roc: new LineChart(slot('roc'), {
      xLabel: 'False positive rate',
      xRange: [0, 1],
      yBounds: [0, 1],
      minSpan: 1,
      points: false,
      series: [
        { label: 'Latest model', color: BLUE },
        { label: 'Chance', color: BLACK, dashed: true },
      ],
    }),
  };
}

/** Only what changes the charts redraws them: snapshots arrive several times a second while clients train. */
function historyKey(state: FederationState): string {
  const last = state.history.at(-1);
  return `${state.history.length}:${last?.round}:${last?.finishedAt}:${state.roc?.auc}`;
}

/**
 * The live dashboard: lays out the page in `root`, connects, and renders every snapshot. Panels are pure
 * functions of the state (views.ts); a one-second tick keeps the countdown and the "lost for N s" banner current.
 */
export function startDashboard(root: HTMLElement, options: { url?: string } = {}): { stop(): void } {
  root.innerHTML = DASHBOARD_LAYOUT;
  const panel = (name: string) => root.querySelector<HTMLElement>(`[data-panel="${name}"]`) as HTMLElement;
  const charts = createCharts(root);
  let state: FederationState | null = null;
  let status: ConnectionStatus = { kind: 'connecting' };
  let invalid: string | null = null;
  let drawnHistory = '';

  /** innerHTML only when the markup changed, so an open tooltip or a text selection survives identical updates. */
  const set = (name: string, html: string) => {
    const el = panel(name);
    if (el.innerHTML !== html) el.innerHTML = html;
  };

  const renderStatus = () => {
    const view = connectionView(status, Date.now());
    const pill = panel('connection');
    pill.textContent = view.label;
    pill.className = `pill ${view.className}`;
    const banner = panel('banner');
    const text = view.banner ?? (invalid ? `The server sent a snapshot this page cannot read (${invalid}). Reload the page.` : null);
    banner.hidden = text === null;
    banner.textContent = text ?? '';
    root.classList.toggle('stale', status.kind !== 'live');
  };

  const renderRound = () => {
    if (state) set('round', roundPanel(roundProgress(state.round, Date.now()), state.history.length));
  };

  const render = (s: FederationState) => {
    const phase = panel('phase');
    phase.textContent = federationLabel(s.phase, s.control);
    phase.dataset.control = controlState(s.phase, s.control);
    renderRound();
    set('headline', headlinePanel(headline(s.history)));
    set('client-summary', clientSummaryPanel(clientSummary(s.clients)));
    set('model', modelPanel(recentVersions(s.versions, 1)[0] ?? null));
    set('backends', backendChips(backendCounts(s.clients)));
    set('clients', clientsTable(s.clients));
    set('versions', versionsTable(recentVersions(s.versions), s.versions.length));
    set('rejected', rejectedTable(rejectedRows(s.rejected)));
    panel('privacy-tile').hidden = !s.privacy;
    if (s.privacy) set('privacy', privacyPanel(s.privacy));
    const key = historyKey(s);
    if (key === drawnHistory) return;
    drawnHistory = key;
    const series = roundSeries(s.history);
    charts.accuracy.setData(series.rounds, [series.testAccuracy, series.federatedAccuracy]);
    charts.loss.setData(series.rounds, [series.trainLoss, series.testLoss]);
    charts.auc.setData(series.rounds, [series.testAuc]);
    const roc = s.roc ? rocColumns(s.roc) : { fpr: [], tpr: [] };
    charts.roc.setData(roc.fpr, [roc.tpr, roc.fpr]);
    panel('roc-caption').textContent = s.roc ? `AUC ${s.roc.auc.toFixed(3)}` : '';
  };

  renderStatus();
  const connection = connectDashboard(options.url, {
    onState: (next) => {
      state = next;
      invalid = null;
      render(next);
      renderStatus();
    },
    onStatus: (next) => {
      status = next;
      renderStatus();
    },
    onInvalid: (message) => {
      invalid = message;
      console.error(`federation:state failed validation: ${message}`);
      renderStatus();
    },
  });
  const timer = setInterval(() => {
    renderRound();
    if (status.kind === 'reconnecting') renderStatus();
  }, 1000);

  return {
    stop: () => {
      clearInterval(timer);
      connection.close();
      for (const chart of Object.values(charts)) chart.destroy();
    },
  };
}
