import React from 'react';
import type { Config, Data, Layout } from 'plotly.js';

import { useThemeKey } from '../components/theme';

type PlotlyModule = typeof import('plotly.js-dist-min');

let plotly: Promise<PlotlyModule> | null = null;
let loader = (): Promise<PlotlyModule> =>
  import('plotly.js-dist-min').then(m => (m as { default?: PlotlyModule }).default ?? m);

/** plotly.js, loaded on first use so opening JupyterLab stays fast. */
export function loadPlotly(): Promise<PlotlyModule> {
  plotly ??= loader();
  return plotly;
}

let drawing: Promise<unknown> = Promise.resolve();

/**
 * Run `draw` after the charts queued before it, each in a task of its own: a page of
 * charts draws one by one, the first visible first, and stays responsive in between.
 */
function queueDraw(draw: () => Promise<unknown> | undefined): Promise<unknown> {
  const next = drawing.then(() => new Promise(resolve => window.setTimeout(resolve, 0))).then(draw);
  drawing = next.catch(() => undefined);
  return next;
}

/** Load plotly.js another way (a notebook widget gets it from the kernel). */
export function setPlotlyLoader(load: () => Promise<PlotlyModule>): void {
  loader = load;
  plotly = null;
}

/** Colours of the current JupyterLab theme (or light fallbacks outside JupyterLab). */
export function themeLayout(element: HTMLElement): Partial<Layout> {
  const css = getComputedStyle(element);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const fg = v('--jp-ui-font-color1', '#1f1f1f');
  const grid = v('--jp-border-color2', '#e0e0e0');
  const axis = { gridcolor: grid, zerolinecolor: grid, linecolor: grid };
  return {
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: fg, family: v('--jp-ui-font-family', 'sans-serif') },
    xaxis: axis,
    yaxis: axis
  };
}

/**
 * Colour-scaled markers get a thin outline in the theme's text colour: the dark end of a
 * colour scale would otherwise vanish on a dark background.
 */
export function outlineMarkers(data: Data[], color: string): Data[] {
  return data.map(trace => {
    const t = trace as { mode?: string; marker?: { colorscale?: unknown; line?: unknown } };
    if (!t.mode?.includes('markers') || !t.marker?.colorscale || t.marker.line) {
      return trace;
    }
    return { ...trace, marker: { ...t.marker, line: { color, width: 0.6 } } } as Data;
  });
}

export interface PlotlyChartProps {
  data: Data[];
  layout?: Partial<Layout>;
  config?: Partial<Config>;
  height?: number;
  className?: string;
  /** Handlers of plotly events (e.g. `plotly_selected`), by event name. */
  events?: PlotlyEvents;
}

/** Handlers of plotly events by name; each gets the event's data and the chart's element. */
export type PlotlyEvents = Record<string, (event: unknown, element: HTMLElement) => void>;

/** A chart element once plotly has drawn in it: it emits plotly's events. */
type Emitter = { on(name: string, handler: (event: unknown) => void): void };

/**
 * Whether the element has come near the visible area once: charts further down a long
 * page are drawn when the user scrolls to them, not all at once when the page opens.
 */
function useSeen(ref: React.RefObject<HTMLElement>): boolean {
  const [seen, setSeen] = React.useState(false);
  React.useEffect(() => {
    const element = ref.current;
    if (!element || seen) {
      return;
    }
    if (typeof IntersectionObserver === 'undefined') {
      setSeen(true);
      return;
    }
    const observer = new IntersectionObserver(
      entries => {
        if (entries.some(e => e.isIntersecting)) {
          setSeen(true);
          observer.disconnect();
        }
      },
      { rootMargin: '200px' }
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, seen]);
  return seen;
}

/** One plotly.js chart that follows its container's size and the theme's colours. */
export function PlotlyChart(props: PlotlyChartProps): JSX.Element {
  const ref = React.useRef<HTMLDivElement>(null);
  const themeKey = useThemeKey();
  const seen = useSeen(ref);
  const [error, setError] = React.useState<string | null>(null);
  // The handlers of the latest render, called from listeners bound once per element.
  const events = React.useRef(props.events);
  events.current = props.events;
  const bound = React.useRef(new Set<string>());

  React.useEffect(() => {
    const element = ref.current;
    if (!element || !seen) {
      return;
    }
    let cancelled = false;
    void loadPlotly()
      .then(Plotly => queueDraw(() => {
        if (cancelled) {
          return;
        }
        const theme = themeLayout(element);
        const layout: Partial<Layout> = {
          autosize: true,
          margin: { l: 60, r: 20, t: 36, b: 50 },
          ...theme,
          ...props.layout,
          xaxis: { ...theme.xaxis, ...props.layout?.xaxis },
          yaxis: { ...theme.yaxis, ...props.layout?.yaxis }
        };
        const started = performance.now();
        const data = outlineMarkers(props.data, String(theme.font?.color ?? '#1f1f1f'));
        return Plotly.react(element, data, layout, {
          responsive: true,
          displaylogo: false,
          ...props.config
        }).then(() => {
          for (const name of Object.keys(events.current ?? {})) {
            if (!bound.current.has(name)) {
              bound.current.add(name);
              const emitter = element as unknown as Emitter;
              emitter.on(name, event => events.current?.[name]?.(event, element));
            }
          }
          // Visible in the browser's performance timeline (and to bench/ui.py).
          const title = (layout.title as { text?: string } | undefined)?.text ?? 'chart';
          performance.measure(`plotly: ${title}`, { start: started, end: performance.now() });
        });
      }))
      .catch(e => setError(String(e)));
    return () => {
      cancelled = true;
    };
  }, [props.data, props.layout, props.config, themeKey, seen]);

  React.useEffect(() => {
    const element = ref.current;
    return () => {
      if (element) {
        void loadPlotly().then(Plotly => Plotly.purge(element));
      }
    };
  }, []);

  if (error) {
    return <div className="jp-OptunaDashboard-error">The plot could not be drawn: {error}</div>;
  }
  return (
    <div
      ref={ref}
      className={props.className ?? 'jp-OptunaDashboard-plot'}
      style={{ height: props.height ?? 360 }}
    />
  );
}
