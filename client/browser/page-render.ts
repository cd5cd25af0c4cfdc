import { lineChartSvg } from '../../shared/metrics/svg/line-chart.ts';
import { noiseSourceSentence, privacySentence } from '../../shared/privacy/privacy-text.ts';
import type { ClientSnapshot } from '../core/client-state.ts';
import { DEFAULT_MIN_COHORT } from '../core/secure-round.ts';
import { describeBackend } from './backend-choice.ts';
import { byId, renderControls } from './page-render-controls.ts';
import type { PageState } from './page-state.ts';

/**
 * Draws a PageState into the contributor page. One function per part of the page, each reading only the state,
 * so a part can be restyled or moved without touching the others. Element ids are stable (tests and later
 * pages rely on them).
 */
export function renderPage(doc: Document, state: PageState): void {
  renderControls(doc, state);
  renderBackend(doc, state);
  renderShard(doc, state.client);
  renderRound(doc, state.client);
  renderLocalRounds(doc, state.client);
  renderAccuracy(doc, state.client);
}

function renderBackend(doc: Document, state: PageState): void {
  byId(doc, 'backend').textContent = state.backend ? describeBackend(state.backend) : state.phase === 'starting' ? 'measuring…' : '—';
}

function renderShard(doc: Document, client: ClientSnapshot | null): void {
  const data = client?.data;
  byId(doc, 'shard').textContent = data
    ? `${data.source === 'shard' ? `demo shard ${data.shardId}` : 'your own reviews'}: ${data.size.toLocaleString('en')} reviews, ` +
      `${data.positives.toLocaleString('en')} positive / ${data.negatives.toLocaleString('en')} negative${data.fromCache ? ' (kept in this browser)' : ''}`
    : '—';
  const share = data && data.size > 0 ? data.positives / data.size : 0;
  const mix = byId(doc, 'label-mix');
  mix.hidden = !data;
  mix.style.setProperty('--positive-share', `${(share * 100).toFixed(1)}%`);
  mix.title = data ? `${(share * 100).toFixed(0)}% positive` : '';
  byId(doc, 'client-id').textContent = client?.clientId ?? '—';
}

function renderRound(doc: Document, client: ClientSnapshot | null): void {
  const current = client?.current ?? null;
  const progress = byId<HTMLProgressElement>(doc, 'round-progress');
  progress.value = current ? current.fraction : 0;
  byId(doc, 'round-label').textContent = current
    ? `Round ${current.round}: ${Math.round(current.fraction * 100)}% (epoch ${current.epoch + 1}/${current.epochs}, step ${current.step}/${current.steps})`
    : client?.state === 'training'
      ? 'preparing…'
      : client?.state === 'uploading'
        ? 'sending the update…'
        : client?.paused
          ? 'paused'
          : 'no round in progress';
  const lastLoss = current?.loss ?? client?.localRounds.at(-1)?.loss;
  byId(doc, 'local-loss').textContent = lastLoss === undefined || !Number.isFinite(lastLoss) ? '—' : lastLoss.toFixed(4);
}

function renderLocalRounds(doc: Document, client: ClientSnapshot | null): void {
  const rounds = client?.localRounds ?? [];
  byId(doc, 'rounds-done').textContent = String(rounds.length);
  byId(doc, 'local-rounds').hidden = rounds.length === 0;
  byId(doc, 'no-rounds').hidden = rounds.length > 0;
  const body = byId<HTMLTableSectionElement>(doc, 'local-rounds-body');
  const rows = rounds.slice(-10).reverse();
  body.replaceChildren(
    ...rows.map((r) => {
      const tr = doc.createElement('tr');
      for (const text of [String(r.round), r.numExamples.toLocaleString('en'), r.loss.toFixed(4), formatSeconds(r.trainSeconds), formatBytes(r.uploadBytes)]) {
        const td = doc.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}

function renderAccuracy(doc: Document, client: ClientSnapshot | null): void {
  const points = (client?.globalHistory ?? []).filter((g) => g.round !== null && g.testAccuracy !== null);
  const latest = points.at(-1);
  byId(doc, 'global-accuracy').textContent = latest ? `${((latest.testAccuracy as number) * 100).toFixed(1)}%` : '—';
  byId(doc, 'accuracy-latest').textContent = latest
    ? `of held-out test reviews right, model v${latest.modelVersion} (round ${latest.round})`
    : 'No round finished since you joined yet.';
  // Differential privacy: what the federation has spent of its budget, as of the newest version announced.
  const privacy = client?.globalHistory.at(-1)?.privacy ?? null;
  const spent = byId(doc, 'privacy-spent');
  spent.hidden = privacy === null;
  spent.textContent = privacy ? `Differential privacy: ${privacySentence(privacy)}; ${noiseSourceSentence(privacy.mode)}.` : '';
  // Secure aggregation: the minimum this browser enforces itself (for its updates and the statistics round's counts), and whether its last update went masked.
  const masked = client?.localRounds.at(-1)?.codec === 'secure-aggregation';
  byId(doc, 'min-cohort').textContent =
    `Secure aggregation: this browser adds its update (and, once, its per-bucket word counts) only into sums of at least ${DEFAULT_MIN_COHORT} contributors` +
    (masked ? '; your last update went masked, and the server saw only the sum.' : ', when the server runs it.');
  const chart = byId(doc, 'accuracy-chart');
  // Drawn at the width it is shown at, so its text stays readable on a phone; redrawn only when the data or the
  // width changed, not on every progress tick.
  const width = Math.round(Math.min(720, Math.max(280, chart.clientWidth)));
  const key = `${width}|${points.map((p) => `${p.round}:${p.testAccuracy}`).join(',')}`;
  if (chart.dataset.key === key) return;
  chart.dataset.key = key;
  const percents = points.map((p) => (p.testAccuracy as number) * 100);
  // From 50% (a coin toss) up, or lower if the model is worse than that, so early rounds keep their scale.
  const floor = Math.min(50, Math.floor(Math.min(...percents, 100) / 10) * 10);
  chart.innerHTML =
    points.length === 0
      ? ''
      : lineChartSvg({
          xLabel: 'round',
          yLabel: 'test accuracy (%)',
          width,
          height: Math.round(Math.max(200, Math.min(300, width * 0.45))),
          yDomain: [floor, 100],
          series: [{ name: 'global model', x: points.map((p) => p.round as number), y: percents }],
          legend: 'none',
        });
}

/** Seconds as people read them: "40 ms" for a quick round, "2.3 s" for a longer one. */
function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.max(1, Math.round(seconds * 1000))} ms` : `${seconds.toFixed(1)} s`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}
