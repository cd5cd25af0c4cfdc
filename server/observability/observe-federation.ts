import type { EventEmitter } from 'node:events';
import type { ClientKind, RoundPrivacy } from '../../shared/protocol/messages.ts';
import type { FederationService } from '../federation/service/federation-service.ts';
import type { FederationEvents } from '../federation/service/service-types.ts';
import type { ChorusMetrics } from './metrics.ts';

/** What of the federation service the metrics need (FederationService has it); a narrow type keeps tests light. */
export interface ObservableFederation {
  readonly events: EventEmitter<FederationEvents>;
  readonly modelVersion: number | null;
  /** Connected sockets by kind, read at scrape time. */
  connectedClients(): Partial<Record<ClientKind, number>>;
  /** ε spent so far when differential privacy is on (null: off), for the gauges before the first round. */
  privacy?(): RoundPrivacy | null;
}

/**
 * Feeds the metrics from the service's events, so the federation code needs no metric calls of its own.
 * Returns a function that stops listening.
 */
export function observeFederation(federation: ObservableFederation, metrics: ChorusMetrics): () => void {
  const { events } = federation;
  const onAccepted = () => metrics.recordUpdateAccepted();
  const onRejected = (rejection: FederationEvents['update:rejected'][0]) => metrics.recordUpdateRejected(rejection.code, rejection.reason);
  const onCompleted = (result: FederationEvents['round:completed'][0]) => metrics.recordRound(result.metrics);
  const onFailed = () => metrics.recordRoundFailed();
  const onInstalled = (version: number) => metrics.setModelVersion(version);

  if (federation.modelVersion !== null) metrics.setModelVersion(federation.modelVersion);
  const privacy = federation.privacy?.();
  if (privacy) metrics.setPrivacy(privacy);
  metrics.trackConnectedClients(() => federation.connectedClients());
  events.on('update:accepted', onAccepted);
  events.on('update:rejected', onRejected);
  events.on('round:completed', onCompleted);
  events.on('round:failed', onFailed);
  events.on('model:installed', onInstalled);
  return () => {
    events.off('update:accepted', onAccepted);
    events.off('update:rejected', onRejected);
    events.off('round:completed', onCompleted);
    events.off('round:failed', onFailed);
    events.off('model:installed', onInstalled);
  };
}

/** The adapter for the real service: its status() counts every connected socket by handshake kind. */
export function observeService(service: FederationService, metrics: ChorusMetrics): () => void {
  return observeFederation(
    {
      events: service.events,
      get modelVersion() {
        return service.modelVersion;
      },
      connectedClients: () => service.status().clients,
      privacy: () => service.status().privacy,
    },
    metrics,
  );
}
