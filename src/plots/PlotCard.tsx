import React from 'react';

import { Figure } from './figures';
import { PlotlyChart, PlotlyEvents, loadPlotly } from './PlotlyChart';
import { PlotCode, PlotSource, plotCode } from './plotCode';

/** The storage and studies the charts below are drawn from (for "Copy as code"). */
export const PlotSourceContext = React.createContext<PlotSource | null>(null);

/**
 * A chart's card: its content, and a menu that takes the chart out of the dashboard
 * (PNG, SVG, or the optuna.visualization call that draws it again in a notebook).
 */
export function PlotCard(props: {
  id: string;
  code: PlotCode;
  children: React.ReactNode;
  /** More attributes of the card (e.g. `data-param`). */
  attributes?: Record<string, string>;
  ariaBusy?: boolean;
}): JSX.Element {
  const card = React.useRef<HTMLElement>(null);
  return (
    <section
      ref={card}
      className="jp-OptunaDashboard-plotCard"
      data-plot={props.id}
      aria-busy={props.ariaBusy}
      {...props.attributes}
    >
      <ChartMenu id={props.id} code={props.code} card={card} />
      {props.children}
    </section>
  );
}

/** A card of one figure, or a line saying it appears once trials are complete. */
export function FigureCard(props: {
  id: string;
  figure: Figure;
  code: PlotCode;
  events?: PlotlyEvents;
}): JSX.Element {
  const empty = props.figure.data.every(d => ((d as { x?: unknown[] }).x ?? []).length === 0);
  return (
    <PlotCard id={props.id} code={props.code}>
      {empty ? (
        <div className="jp-OptunaDashboard-empty">
          {(props.figure.layout.title as { text?: string } | undefined)?.text ?? 'This plot'} appears
          once trials are complete.
        </div>
      ) : (
        <PlotlyChart data={props.figure.data} layout={props.figure.layout} events={props.events} />
      )}
    </PlotCard>
  );
}

/** What the menu shows under it: the copied code, or why there is none. */
type Shown = { kind: 'code'; text: string; copied: boolean } | { kind: 'note'; text: string };

function ChartMenu(props: {
  id: string;
  code: PlotCode;
  card: React.RefObject<HTMLElement>;
}): JSX.Element {
  const source = React.useContext(PlotSourceContext);
  const [open, setOpen] = React.useState(false);
  const [shown, setShown] = React.useState<Shown | null>(null);
  const menu = React.useRef<HTMLDivElement>(null);

  React.useEffect(() => {
    if (!open) {
      return;
    }
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !menu.current?.contains(e.target as Node)) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const download = async (format: 'png' | 'svg') => {
    setOpen(false);
    const chart = props.card.current?.querySelector<HTMLElement>('.js-plotly-plot');
    if (!chart) {
      setShown({ kind: 'note', text: 'The chart is not drawn yet: nothing to download.' });
      return;
    }
    try {
      const Plotly = await loadPlotly();
      await Plotly.downloadImage(chart, {
        format,
        filename: fileName(source, props.id),
        width: chart.clientWidth,
        height: chart.clientHeight
      });
    } catch (e) {
      setShown({ kind: 'note', text: `The image could not be made: ${String(e)}` });
    }
  };

  const copy = async () => {
    setOpen(false);
    if ('none' in props.code) {
      setShown({ kind: 'note', text: props.code.none });
      return;
    }
    if (source === null) {
      setShown({ kind: 'note', text: 'This chart does not know its study: no code to copy.' });
      return;
    }
    const text = plotCode(source, props.code);
    setShown({ kind: 'code', text, copied: await copyText(text) });
  };

  return (
    <div className="jp-OptunaDashboard-chartMenu">
      <div className="jp-OptunaDashboard-chartMenuAnchor" ref={menu}>
        <button
          className="jp-OptunaDashboard-chartMenuButton"
          aria-label="Chart menu"
          title="Download this chart, or copy the code that draws it"
          aria-haspopup="menu"
          aria-expanded={open}
          onClick={() => setOpen(o => !o)}
        >
          ⋯
        </button>
        {open && (
          <div className="jp-OptunaDashboard-chartMenuItems" role="menu">
            <button role="menuitem" onClick={() => void download('png')}>
              Download PNG
            </button>
            <button role="menuitem" onClick={() => void download('svg')}>
              Download SVG
            </button>
            <button role="menuitem" onClick={() => void copy()}>
              Copy as code
            </button>
          </div>
        )}
      </div>
      {shown && (
        <div className="jp-OptunaDashboard-chartCode">
          <div className="jp-OptunaDashboard-chartCodeBar">
            <span role="status">
              {shown.kind === 'note'
                ? shown.text
                : shown.copied
                  ? 'Copied to the clipboard:'
                  : 'The clipboard is not available here: select the code and copy it.'}
            </span>
            <button className="jp-OptunaDashboard-linkButton" onClick={() => setShown(null)}>
              Close
            </button>
          </div>
          {shown.kind === 'code' && (
            <pre>
              <code>{shown.text}</code>
            </pre>
          )}
        </div>
      )}
    </div>
  );
}

/** `study-chart`, without characters a file name cannot hold. */
function fileName(source: PlotSource | null, id: string): string {
  const study = source?.studies.join('-') || 'optuna';
  return `${study}-${id}`.replace(/[^\w.-]+/g, '_');
}

/**
 * Copy `text`: with the clipboard API, else (a notebook host that does not grant it) by
 * selecting it in a hidden textarea and the copy command. Whether either worked.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // refused (no permission, not a secure context): try the textarea
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
