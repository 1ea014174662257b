/** The report's stylesheet, inline in the page (the CSP allows inline styles and nothing else). */
export const reportStyles = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --muted: #57606a; --line: #d0d7de; --accent: #0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1280px; padding: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 24px; margin: 0 0 2px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.kicker { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .06em; margin: 0; }
.meta, .note { color: var(--muted); margin: 4px 0 8px; }
.definition { margin: 4px 0 8px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; }
.card .value { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; } .card .label { color: var(--muted); }
.card.succeeded .value { color: var(--ok); } .card.failed .value { color: var(--bad); }
table { border-collapse: collapse; margin: 4px 0; } th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: middle; }
table.numbers td, td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; gap: 16px; flex-wrap: wrap; }
.charts figure { margin: 0; flex: 1 1 480px; min-width: 0; max-width: 640px; }
.charts figcaption { font-weight: 600; margin-bottom: 4px; }
.chart { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 8px; }
.chart .bar { fill: var(--accent); } .chart.foreground .bar { fill: #8250df; } .chart.throughput .bar { fill: #1a7f37; }
.chart .grid { stroke: #eaeef2; } .chart .axis { stroke: #8c959f; }
.chart text { font: 11px system-ui, sans-serif; fill: #1f2328; } .chart .tick, .chart .axis-title { fill: var(--muted); }
.table-scroll { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; }
table.images { display: block; width: 100%; min-width: 1000px; margin: 0; }
table.images thead, table.images tbody { display: flex; flex-direction: column; }
table.images tr { display: grid; align-items: center; border-bottom: 1px solid var(--line); }
table.images th, table.images td { border-bottom: none; }
table.images th { position: sticky; top: 0; background: #f6f8fa; white-space: nowrap; }
table.images tr.failed { background: #fff8f8; }
.sort-input { position: absolute; opacity: 0; width: 1px; height: 1px; pointer-events: none; }
label.sort { cursor: pointer; color: var(--muted); opacity: .55; padding: 0 1px; font-size: 11px; }
.sort-input:focus-visible + .sort-input, .sort-input:focus-visible { outline: none; }
.thumb { display: block; max-width: 96px; max-height: 96px; width: auto; height: auto; border-radius: 4px; background: #f6f8fa; }
.thumb.missing { width: 96px; height: 72px; display: flex; align-items: center; justify-content: center; text-align: center; color: var(--muted); border: 1px dashed var(--line); font-size: 11px; padding: 4px; }
.name { overflow-wrap: anywhere; }
.status { font-weight: 600; font-size: 12px; } .succeeded .status { color: var(--ok); } .failed .status { color: var(--bad); }
.id, .where, .sub { color: var(--muted); font-size: 12px; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
a { color: var(--accent); }
`;
