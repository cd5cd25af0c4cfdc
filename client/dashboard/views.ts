import { formatEpsilon, privacySentence } from '../../shared/privacy/privacy-text.ts';
import type { RoundPrivacy } from '../../shared/protocol/messages.ts';
import type { BackendCount, ClientSummary, DashboardClient, DashboardVersion, Headline, RoundProgress } from './derive.ts';
import { codeLabel, countdown, integer, MISSING, percent, plural, shortId, timeOfDay } from './format.ts';

/**
 * The dashboard's panels as HTML strings: pure functions of the state, so they are unit-tested without a DOM.
 * Every value from the server goes through `esc`; the page sets these with innerHTML.
 */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A labelled bar for a fraction in [0, 1]; the value is clamped so a bad number cannot overflow the layout. */
export function progressBar(fraction: number, label: string): string {
  const pct = Math.round(Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)) * 100);
  return `<div class="bar" role="progressbar" aria-label="${esc(label)}" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}"><span style="width:${pct}%"></span></div>`;
}

export function roundPanel(progress: RoundProgress | null, completedRounds: number): string {
  if (!progress) {
    return `<div class="big">${completedRounds > 0 ? `${integer(completedRounds)} done` : MISSING}</div><div class="sub">No round open</div>`;
  }
  return `<div class="big" data-testid="round-number">Round ${integer(progress.round)}<small> / ${integer(progress.totalRounds)}</small></div>
${progressBar(progress.fraction, 'updates received')}
<div class="sub"><span data-testid="round-received">${integer(progress.received)} / ${integer(progress.sampled)} updates</span> · <span class="countdown" title="Time left before the round closes">${countdown(progress.remainingMs)} left</span></div>`;
}

export function headlinePanel(h: Headline): string {
  const best = h.bestAccuracy === null ? '' : ` · best ${percent(h.bestAccuracy)} (round ${h.bestRound})`;
  return `<div class="big" data-testid="latest-accuracy">${percent(h.latestAccuracy)}</div><div class="sub">AUC ${h.latestAuc === null ? MISSING : h.latestAuc.toFixed(3)}${best}</div>`;
}

export function clientSummaryPanel(s: ClientSummary): string {
  const kinds = [s.browser > 0 ? `${integer(s.browser)} browser` : '', s.edge > 0 ? `${integer(s.edge)} edge` : '', s.paused > 0 ? `${integer(s.paused)} paused` : '']
    .filter(Boolean)
    .join(' · ');
  return `<div class="big" data-testid="client-count">${integer(s.total)}<small> connected</small></div><div class="sub"><b>${integer(s.training)}</b> training${kinds ? ` · ${kinds}` : ''}</div>`;
}

/** Differential privacy: ε spent against the budget, with the settings the accountant assumed. */
export function privacyPanel(p: RoundPrivacy): string {
  const budget = p.epsilonBudget === null ? '' : `<small> / ${esc(formatEpsilon(p.epsilonBudget))}</small>`;
  return `<div class="big" data-testid="privacy-epsilon">ε ${esc(formatEpsilon(p.epsilon))}${budget}</div><div class="sub">${esc(privacySentence(p))} · ${esc(p.mode)} noise z ${esc(p.noiseMultiplier)}, clip ${esc(Number(p.clipNorm.toPrecision(3)))}, sampling q ${esc(p.samplingRate)}</div>`;
}

/** The version served now and where it came from. */
export function modelPanel(latest: DashboardVersion | null): string {
  if (!latest) return `<div class="big">${MISSING}</div><div class="sub">No model yet</div>`;
  const origin =
    latest.round === null ? 'from the statistics round' : `round ${integer(latest.round)} · ${plural(latest.clients, 'client')} · ${integer(latest.examples)} examples`;
  return `<div class="big" data-testid="model-version">v${integer(latest.modelVersion)}</div><div class="sub">${esc(origin)}</div>`;
}

export function backendChips(counts: readonly BackendCount[]): string {
  if (counts.length === 0) return `<span class="muted">No clients yet</span>`;
  return counts
    .map((c) => {
      const title = c.reasons.length > 0 ? c.reasons.join('\n') : 'No reason reported';
      return `<span class="chip backend-${esc(c.backend)}" title="${esc(title)}" data-backend="${esc(c.backend)}"><b>${esc(c.backend)}</b> × ${integer(c.count)}</span>`;
    })
    .join(' ');
}

const STATE_LABELS: Record<DashboardClient['state'], string> = { idle: 'Idle', training: 'Training', uploading: 'Uploading', paused: 'Paused' };

function clientRow(client: DashboardClient): string {
  const backend = client.backend ?? 'unknown';
  const progress =
    client.state === 'training' && client.progress !== null ? ` ${progressBar(client.progress, `training progress of ${shortId(client.clientId)}`)}` : '';
  return `<tr data-client="${esc(client.clientId)}">
<td><code title="${esc(client.clientId)}">${esc(shortId(client.clientId))}</code></td>
<td><span class="kind kind-${esc(client.kind)}">${esc(client.kind)}</span></td>
<td><span class="backend backend-${esc(backend)}" title="${esc(client.backendReason ?? 'No reason reported')}">${esc(backend)}</span></td>
<td class="state state-${client.state}">${STATE_LABELS[client.state]}${progress}</td>
<td class="num">${client.shardId === null ? MISSING : integer(client.shardId)}</td>
</tr>`;
}

export function clientsTable(clients: readonly DashboardClient[]): string {
  if (clients.length === 0) return `<p class="empty">No clients connected. Open the contributor page or start <code>chorus client</code>.</p>`;
  return `<table class="clients"><thead><tr><th>Client</th><th>Kind</th><th>Backend</th><th>State</th><th class="num">Shard</th></tr></thead>
<tbody>${clients.map(clientRow).join('')}</tbody></table>`;
}

export function versionsTable(versions: readonly DashboardVersion[], total: number): string {
  if (versions.length === 0) return `<p class="empty">No model yet: the first version comes from the statistics round.</p>`;
  const rows = versions
    .map(
      (v) => `<tr><td class="num"><b>v${integer(v.modelVersion)}</b></td><td class="num">${v.round === null ? MISSING : integer(v.round)}</td>
<td>${esc(v.strategy ?? MISSING)}</td><td class="num">${integer(v.clients)}</td><td class="num">${integer(v.examples)}</td><td><time datetime="${esc(v.createdAt)}">${esc(timeOfDay(v.createdAt))}</time></td></tr>`,
    )
    .join('');
  const more = total > versions.length ? `<p class="muted">and ${plural(total - versions.length, 'older version')}</p>` : '';
  return `<table class="versions"><thead><tr><th class="num">Version</th><th class="num">Round</th><th>Strategy</th><th class="num">Clients</th><th class="num">Examples</th><th>Created</th></tr></thead>
<tbody>${rows}</tbody></table>${more}`;
}

export function rejectedTable(rows: readonly { code: string; count: number }[]): string {
  if (rows.length === 0) return `<p class="empty ok">No rejected updates.</p>`;
  return `<table class="rejected"><tbody>${rows
    .map((r) => `<tr><td><span class="code" title="${esc(r.code)}">${esc(codeLabel(r.code))}</span></td><td class="num">${integer(r.count)}</td></tr>`)
    .join('')}</tbody></table>`;
}

export type ConnectionStatus = { kind: 'connecting' } | { kind: 'live' } | { kind: 'reconnecting'; attempt: number; since: number } | { kind: 'refused'; message: string };

/** The status pill's text and class, and a banner for when the data shown may be out of date. */
export function connectionView(status: ConnectionStatus, now: number): { label: string; className: string; banner: string | null } {
  switch (status.kind) {
    case 'connecting':
      return { label: 'Connecting…', className: 'pending', banner: null };
    case 'live':
      return { label: 'Live', className: 'live', banner: null };
    case 'reconnecting': {
      const seconds = Math.max(0, Math.round((now - status.since) / 1000));
      return {
        label: 'Reconnecting…',
        className: 'down',
        banner: `Lost the connection to the server ${seconds} s ago; retrying${status.attempt > 0 ? ` (attempt ${status.attempt})` : ''}. The figures below are as they were then.`,
      };
    }
    case 'refused':
      return { label: 'Refused', className: 'down', banner: status.message };
  }
}
