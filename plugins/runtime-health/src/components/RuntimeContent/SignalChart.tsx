import { Text, VisuallyHidden } from '@backstage/ui';
import { useEffect, useRef } from 'react';
import UPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const HEIGHT = 140;

/** A design token's value where the chart is drawn, so canvas colours follow the theme. */
function token(el: HTMLElement, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/**
 * One golden signal over time as a small line chart (uPlot, on canvas). The caption states the window's value; the
 * hover legend states each point's; a visually hidden summary gives screen readers the range.
 */
export function SignalChart(props: {
  title: string;
  /** The window's aggregate, shown in the caption. */
  value: number;
  points: { timestamp: string; value: number }[];
  format: (value: number) => string;
  /** The y-axis range for a series whose largest value is `max`. */
  range: (max: number) => [number, number];
}) {
  const { title, value, points, format, range } = props;
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = container.current;
    if (!el || points.length === 0) return undefined;
    const stroke = token(el, '--bui-fg-announcement', '#2a86f3');
    const axis = token(el, '--bui-fg-secondary', '#888');
    const grid = token(el, '--bui-border-1', 'rgba(128,128,128,0.2)');
    const plot = new UPlot(
      {
        width: el.clientWidth || 300,
        height: HEIGHT,
        scales: {
          x: { time: true },
          y: { range: (_u, _min, max) => range(max ?? 0) },
        },
        legend: { live: true },
        cursor: { y: false, points: { size: 6 } },
        axes: [
          {
            stroke: axis,
            grid: { stroke: grid, width: 1 },
            ticks: { show: false },
            font: '11px sans-serif',
          },
          {
            stroke: axis,
            grid: { stroke: grid, width: 1 },
            ticks: { show: false },
            font: '11px sans-serif',
            size: 64,
            values: (_u, ticks) => ticks.map(format),
          },
        ],
        series: [
          { value: '{HH}:{mm}' },
          {
            label: title,
            stroke,
            width: 2,
            points: { show: false },
            value: (_u, v) => (v === null ? '–' : format(v)),
          },
        ],
      },
      [
        points.map(p => Date.parse(p.timestamp) / 1000),
        points.map(p => p.value),
      ],
      el,
    );
    const resize =
      typeof ResizeObserver === 'undefined'
        ? undefined
        : new ResizeObserver(() =>
            plot.setSize({ width: el.clientWidth, height: HEIGHT }),
          );
    resize?.observe(el);
    return () => {
      resize?.disconnect();
      plot.destroy();
    };
  }, [title, points, format, range]);

  const values = points.map(p => p.value);
  return (
    <figure className="paved-rh-chart" aria-label={title}>
      <figcaption>
        <Text variant="body-small" color="secondary">
          {title}
        </Text>
        <Text variant="body-medium" weight="bold">
          {format(value)}
        </Text>
      </figcaption>
      {points.length === 0 ? (
        <Text variant="body-small" color="secondary">
          No data points in the last 30 minutes.
        </Text>
      ) : (
        <>
          <div ref={container} data-testid={`chart-${title}`} />
          <VisuallyHidden>
            {`${title} over ${points.length} points: from ${format(
              Math.min(...values),
            )} to ${format(Math.max(...values))}, latest ${format(
              values[values.length - 1],
            )}.`}
          </VisuallyHidden>
        </>
      )}
    </figure>
  );
}
