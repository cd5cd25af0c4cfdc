import { lineChartSvg } from '../../shared/metrics/svg/line-chart.ts';
import type { ClientSnapshot } from '../core/client-state.ts';
import { describeBackend } from './backend-choice.ts';
import { statusText, type PageState } from './page-state.ts';

/**
 * Draws a PageState into the contributor page. One function per part of the page, each reading only the state,
 * so a part can be restyled or moved without touching the others. Element ids are stable (tests and later
 * pages rely on them).
 */
export function renderPage(doc: Document, state: PageState): void {
  renderJoin(doc, state);
  renderStatus(doc, state);
  renderBackend(doc, state);
  renderShard(doc, state.client);
  renderRound(doc, state.client);
  renderLocalRounds(doc, state.client);
  renderAccuracy(doc, state.client);
}

function byId<T extends HTMLElement = HTMLElement>(doc: Document, id: string): T {
  const element = doc.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

function renderJoin(doc: Document, state: PageState): void {
  const button = byId<HTMLButtonElement>(doc, 'join');
  button.disabled = state.phase === 'starting' || state.phase === 'running';
  button.textContent = state.phase === 'ready' || state.phase === 'failed' ? 'Join the federation' : 'Joined';
  byId(doc, 'contribution').hidden = state.phase === 'ready';
}

function renderStatus(doc: Document, state: PageState): void {
  const status = byId(doc, 'status');
  status.textContent = statusText(state);
  status.dataset.state = state.client?.state ?? state.phase;
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
    ? `round ${current.round}: epoch ${current.epoch + 1}/${current.epochs}, step ${current.step}/${current.steps} (${Math.round(current.fraction * 100)}%)`
    : client?.state === 'training'
      ? 'preparing…'
      : 'no round in progress';
  const lastLoss = current?.loss ?? client?.localRounds.at(-1)?.loss;
  byId(doc, 'local-loss').textContent = lastLoss === undefined || !Number.isFinite(lastLoss) ? '—' : lastLoss.toFixed(4);
}

function renderLocalRounds(doc: Document, client: ClientSnapshot | null): void {
  const rounds = client?.localRounds ?? [];
  byId(doc, 'rounds-done').textContent = String(rounds.length);
  const body = byId<HTMLTableSectionElement>(doc, 'local-rounds-body');
  const rows = rounds.slice(-10).reverse();
  body.replaceChildren(
    ...rows.map((r) => {
      const tr = doc.createElement('tr');
      for (const text of [String(r.round), r.numExamples.toLocaleString('en'), r.loss.toFixed(4), `${r.trainSeconds.toFixed(1)} s`, formatBytes(r.uploadBytes)]) {
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
  byId(doc, 'accuracy-latest').textContent = latest
    ? `Model v${latest.modelVersion} (round ${latest.round}): ${((latest.testAccuracy as number) * 100).toFixed(1)}% of held-out test reviews classified correctly.`
    : 'No round finished since you joined yet.';
  const chart = byId(doc, 'accuracy-chart');
  const key = points.map((p) => `${p.round}:${p.testAccuracy}`).join(',');
  if (chart.dataset.key === key) return; // redraw only when the data changed, not on every progress tick
  chart.dataset.key = key;
  chart.innerHTML =
    points.length === 0
      ? ''
      : lineChartSvg({
          xLabel: 'round',
          yLabel: 'test accuracy',
          width: 480,
          height: 240,
          series: [{ name: 'global model', x: points.map((p) => p.round as number), y: points.map((p) => p.testAccuracy as number) }],
          legend: 'none',
        });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}
