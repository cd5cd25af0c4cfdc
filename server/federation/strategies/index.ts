export type { ClientUpdate, Strategy } from './strategy.ts';
export { createStrategy, isStrategyName, strategyNames, type StrategyName } from './registry.ts';
export { withUpdateClipping, clipUpdate, l2Norm } from './clipping.ts';
export type { AdaptiveState } from './adaptive.ts';
export type { FedAvgMState } from './fedavgm.ts';
