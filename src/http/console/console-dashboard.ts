import { MINUTE_MS, MINUTES_KEPT, noMinuteCounts, type MetricsSnapshot, type MinuteCounts } from '../metrics.js';
import { e } from './console-html.js';

const SERIES: { key: keyof MinuteCounts; label: string; colour: string }[] = [
  { key: 'signIns', label: 'Sign-ins', colour: '#0972d3' },
  { key: 'failures', label: 'Failed sign-in steps', colour: '#d91515' },
  { key: 'signUps', label: 'Sign-ups', colour: '#037f0c' },
];

/**
 * The last hour minute by minute, from every worker's own counters (the numbers /metrics serves):
 * a small bar chart per series, drawn as SVG on the server, with its totals in text.
 */
export function dashboardBody(snapshot: MetricsSnapshot, now: number): string {
  const current = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const minutes = Array.from({ length: MINUTES_KEPT }, (_, i) => current - (MINUTES_KEPT - 1 - i) * MINUTE_MS);
  const countsAt = (minute: number) => snapshot.perMinute[minute] ?? noMinuteCounts();
  const charts = SERIES.map(({ key, label, colour }) => {
    const values = minutes.map((minute) => countsAt(minute)[key]);
    const total = values.reduce((a, b) => a + b, 0);
    const peak = Math.max(1, ...values);
    const bars = values
      .map((value, i) => {
        const height = Math.round((value / peak) * 60);
        return `<rect x="${i * 5}" y="${60 - height}" width="4" height="${height}" fill="${colour}"><title>${new Date(minutes[i]!).toISOString().slice(11, 16)}: ${value}</title></rect>`;
      })
      .join('');
    return `<figure><figcaption><strong>${e(label)}</strong>: ${total} in the last hour, ${values.at(-1)} this minute, at most ${peak === 1 && total === 0 ? 0 : peak} a minute</figcaption>
<svg viewBox="0 0 300 62" width="100%" height="90" role="img" aria-label="${e(label)} per minute over the last hour"><line x1="0" y1="61" x2="300" y2="61" stroke="#d1d5db"/>${bars}</svg></figure>`;
  });
  return `<p class="muted">Counted by this server's processes since they started (per minute, the last hour); the same numbers as <a href="/metrics">/metrics</a>.</p>${charts.join('\n')}`;
}
