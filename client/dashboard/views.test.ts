import { describe, expect, it } from 'vitest';
import { codeLabel, controlState, countdown, federationLabel, fixed, integer, percent, phaseLabel, plural, shortId, timeOfDay } from './format.ts';
import { backendChips, clientsTable, clientSummaryPanel, connectionView, esc, headlinePanel, modelPanel, progressBar, rejectedTable, roundPanel, versionsTable } from './views.ts';

describe('format', () => {
  it('formats percentages, fixed numbers and integers, with a mark for missing values', () => {
    expect(percent(0.8123)).toBe('81.2%');
    expect(percent(1, 0)).toBe('100%');
    expect(percent(null)).toBe('—');
    expect(percent(Number.NaN)).toBe('—');
    expect(fixed(0.69314, 3)).toBe('0.693');
    expect(fixed(undefined)).toBe('—');
    expect(integer(1234567.4)).toBe('1,234,567');
  });

  it('counts down in m:ss, h:mm:ss from an hour, never below zero', () => {
    expect(countdown(0)).toBe('0:00');
    expect(countdown(-5000)).toBe('0:00');
    expect(countdown(1)).toBe('0:01');
    expect(countdown(65_000)).toBe('1:05');
    expect(countdown(3_600_000 + 61_000)).toBe('1:01:01');
  });

  it('shows local times, short ids, phases, plurals and error codes readably', () => {
    expect(timeOfDay(new Date(2024, 0, 2, 3, 4, 5).toISOString())).toBe('03:04:05');
    expect(timeOfDay('not a date')).toBe('not a date');
    expect(shortId('abcdefghijkl')).toBe('abcdefgh');
    expect(shortId('abc')).toBe('abc');
    expect(phaseLabel('waiting-for-clients')).toBe('Waiting for clients');
    expect(plural(1, 'client')).toBe('1 client');
    expect(plural(2, 'client')).toBe('2 clients');
    expect(codeLabel('WRONG_MODEL_VERSION')).toBe('Wrong model version');
  });

  it("shows the operator's pause and stop beside the phase, and nothing once finished", () => {
    const running = { paused: false, stopAfterRound: false };
    const paused = { paused: true, stopAfterRound: false };
    const stopping = { paused: true, stopAfterRound: true };
    expect(federationLabel('training', running)).toBe('Training');
    expect(federationLabel('waiting-for-clients', paused)).toBe('Paused by the operator');
    expect(federationLabel('training', paused)).toBe('Training · paused after this round');
    expect(federationLabel('aggregating', stopping)).toBe('Aggregating updates · stopping after this round');
    expect(federationLabel('waiting-for-clients', stopping)).toBe('Stopping (asked by the operator)');
    expect(federationLabel('finished', stopping)).toBe('Finished');
    expect([controlState('training', running), controlState('training', paused), controlState('evaluating', stopping), controlState('finished', paused)]).toEqual(['running', 'paused', 'stopping', 'running']);
  });
});

describe('views', () => {
  it('escapes everything that comes from the server', () => {
    expect(esc(`<img src=x onerror="a">'`)).toBe('&#60;img src=x onerror=&#34;a&#34;&#62;&#39;');
    const html = clientsTable([{ clientId: '<b>evil</b>', kind: 'edge', backend: 'cpu', backendReason: '"><script>', state: 'idle', shardId: null, progress: null }]);
    expect(html).not.toContain('<b>evil');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;b&#62;evil&#60;/b&#62;');
  });

  it('clamps progress bars', () => {
    expect(progressBar(0.256, 'x')).toContain('style="width:26%"');
    expect(progressBar(7, 'x')).toContain('width:100%');
    expect(progressBar(Number.NaN, 'x')).toContain('width:0%');
  });

  it('shows the open round with its updates and countdown', () => {
    const html = roundPanel({ round: 3, totalRounds: 20, received: 1, sampled: 4, deadline: 0, fraction: 0.25, remainingMs: 65_000 }, 2);
    expect(html).toContain('Round 3<small> / 20</small>');
    expect(html).toContain('1 / 4 updates');
    expect(html).toContain('1:05 left');
    expect(html).toContain('aria-valuenow="25"');
    expect(roundPanel(null, 5)).toContain('5 done');
    expect(roundPanel(null, 0)).toContain('—');
  });

  it('shows the headline accuracy with the best round', () => {
    expect(headlinePanel({ latestAccuracy: 0.81, bestAccuracy: 0.83, bestRound: 4, latestAuc: 0.9, latestExamples: 10 })).toContain('81.0%</div><div class="sub">AUC 0.900 · best 83.0% (round 4)');
  });

  it('lists backends with their reasons as a tooltip', () => {
    const html = backendChips([{ backend: 'wasm', count: 2, reasons: ['no WebGPU', 'edge default'] }]);
    expect(html).toContain('title="no WebGPU\nedge default"');
    expect(html).toContain('<b>wasm</b> × 2');
    expect(backendChips([])).toContain('No clients yet');
  });

  it('shows training progress only for clients that are training', () => {
    const base = { clientId: 'abcdefghij', kind: 'browser' as const, backend: 'webgpu' as const, backendReason: 'adapter ok', shardId: 3, progress: 0.5 };
    const training = clientsTable([{ ...base, state: 'training' }]);
    expect(training).toContain('<code title="abcdefghij">abcdefgh</code>');
    expect(training).toContain('title="adapter ok">webgpu</span>');
    expect(training).toContain('Training <div class="bar"');
    expect(clientsTable([{ ...base, state: 'uploading' }])).not.toContain('class="bar"');
    expect(clientsTable([])).toContain('No clients connected');
  });

  it('lists versions with provenance and says how many are left out', () => {
    const html = versionsTable([{ modelVersion: 5, round: 5, strategy: 'fedavg', clients: 2, examples: 1234, createdAt: 'x' }], 6);
    expect(html).toContain('<b>v5</b>');
    expect(html).toContain('<td class="num">1,234</td>');
    expect(html).toContain('and 5 older versions');
    expect(versionsTable([{ modelVersion: 0, round: null, strategy: null, clients: 0, examples: 0, createdAt: 'x' }], 1)).toContain('<td>—</td>');
  });

  it('lists rejections by reason', () => {
    expect(rejectedTable([{ code: 'STALE_ROUND', count: 3 }])).toContain('<span class="code" title="STALE_ROUND">Stale round</span></td><td class="num">3</td>');
    expect(rejectedTable([])).toContain('No rejected updates.');
  });

  it('tells a live connection from a lost one', () => {
    expect(connectionView({ kind: 'live' }, 0)).toEqual({ label: 'Live', className: 'live', banner: null });
    const lost = connectionView({ kind: 'reconnecting', attempt: 2, since: 1_000 }, 11_000);
    expect(lost.className).toBe('down');
    expect(lost.banner).toContain('10 s ago');
    expect(lost.banner).toContain('attempt 2');
    expect(connectionView({ kind: 'refused', message: 'protocol mismatch' }, 0).banner).toBe('protocol mismatch');
  });
});

describe('summary tiles', () => {
  it('summarises clients by what they do and their kind', () => {
    expect(clientSummaryPanel({ total: 3, training: 2, paused: 1, browser: 1, edge: 2 })).toBe(
      '<div class="big" data-testid="client-count">3<small> connected</small></div><div class="sub"><b>2</b> training · 1 browser · 2 edge · 1 paused</div>',
    );
    expect(clientSummaryPanel({ total: 0, training: 0, paused: 0, browser: 0, edge: 0 })).toContain('<b>0</b> training</div>');
  });

  it('tells where the served model came from', () => {
    expect(modelPanel({ modelVersion: 4, round: 4, strategy: 'fedavg', clients: 1, examples: 2500, createdAt: '' })).toContain('round 4 · 1 client · 2,500 examples');
    expect(modelPanel({ modelVersion: 0, round: null, strategy: null, clients: 3, examples: 0, createdAt: '' })).toContain('from the statistics round');
    expect(modelPanel(null)).toContain('No model yet');
  });
});
