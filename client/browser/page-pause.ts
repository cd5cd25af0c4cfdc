/**
 * What the browser around the contributor page tells it about pausing: whether the tab is visible, and whether
 * the device is charging. Each watcher reports once at the start and then on every change.
 */

/** Reports `hidden` now and on every `visibilitychange` (another tab, a minimised window, a locked phone). */
export function watchVisibility(doc: Document, onChange: (hidden: boolean) => void): void {
  const report = () => onChange(doc.visibilityState === 'hidden');
  doc.addEventListener('visibilitychange', report);
  report();
}

/** The part of the Battery Status API the page uses (Chromium has it; Firefox and Safari do not). */
export interface BatteryLike extends EventTarget {
  readonly charging: boolean;
}

interface NavigatorWithBattery {
  getBattery?: () => Promise<BatteryLike>;
}

export function batterySupported(nav: Navigator): boolean {
  return typeof (nav as NavigatorWithBattery).getBattery === 'function';
}

/**
 * Reports whether the device is charging now and on every `chargingchange`. Rejects when the browser has no
 * battery API or refuses it (e.g. a permissions policy), so the page can say so instead of pausing forever.
 */
export async function watchCharging(nav: Navigator, onChange: (charging: boolean) => void): Promise<void> {
  const getBattery = (nav as NavigatorWithBattery).getBattery;
  if (typeof getBattery !== 'function') throw new Error('this browser does not tell web pages whether it is charging');
  const battery = await getBattery.call(nav);
  battery.addEventListener('chargingchange', () => onChange(battery.charging));
  onChange(battery.charging);
}
