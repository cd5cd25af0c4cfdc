import { describe, expect, it } from 'vitest';
import { OptionsError } from '../options/options-error.ts';
import { checkServerSettings } from './server-options.ts';

describe('secure aggregation options', () => {
  it('is off by default, and on with its clip norm and minimum cohort', () => {
    expect(checkServerSettings({}).settings.secureAggregation).toEqual({ enabled: false, clipNorm: 100, minCohort: 3 });
    const on = checkServerSettings({ minClients: 4, secureAggregation: { enabled: true, clipNorm: 20, minCohort: 4 } });
    expect(on.settings.secureAggregation).toEqual({ enabled: true, clipNorm: 20, minCohort: 4 });
  });

  it('refuses what needs single updates or a server-side clip, DP, and fewer clients than a cohort', () => {
    const secure = { enabled: true };
    expect(() => checkServerSettings({ minClients: 3, secureAggregation: secure, strategy: { aggregator: 'median' } })).toThrow(/--aggregator.*median.*--secure-aggregation/);
    expect(() => checkServerSettings({ minClients: 3, secureAggregation: secure, strategy: { clipNorm: 5 } })).toThrow(/--clip-norm.*--secure-aggregation/);
    expect(() => checkServerSettings({ minClients: 3, secureAggregation: secure, privacy: { mode: 'central' } })).toThrow(/--dp.*--secure-aggregation.*--dp distributed/);
    expect(() => checkServerSettings({ minClients: 3, secureAggregation: secure, mode: 'async' })).toThrow(/--secure-aggregation.*--mode\) async/);
    // Distributed DP combines: the clients noise before masking.
    expect(checkServerSettings({ minClients: 3, secureAggregation: secure, privacy: { mode: 'distributed' } }).strategy.name).toBe('fedavg+dp');
    expect(() => checkServerSettings({ minClients: 2, secureAggregation: secure })).toThrow(OptionsError);
    expect(() => checkServerSettings({ minClients: 2, secureAggregation: secure })).toThrow(/--min-clients.*2.*--min-cohort.*3/);
    expect(() => checkServerSettings({ secureAggregation: { enabled: true, minCohort: 1 } })).toThrow(/minCohort/);
  });
});
