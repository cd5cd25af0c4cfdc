/** The docs page's whole stylesheet, inlined so the page needs nothing else. */
export const DOCS_STYLES = `
:root { color-scheme: light dark; --fg: #1d2430; --muted: #5b6678; --bg: #fbfcfe; --card: #fff; --line: #dde3ec; --code: #f1f4f9;
  --get: #1f7a4d; --post: #2457c5; --accent: #6b3fd4; }
@media (prefers-color-scheme: dark) { :root { --fg: #e4e8ef; --muted: #9aa5b8; --bg: #12161d; --card: #1a2029; --line: #2c3542; --code: #222a35;
  --get: #4cc38a; --post: #6d9cff; --accent: #b195ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header, nav, main { max-width: 62rem; margin: 0 auto; padding: 0 1.25rem; }
header { padding-top: 2rem; }
h1 { margin: 0 0 .5rem; font-size: 1.8rem; }
h1 .version { font-size: .9rem; font-weight: 500; color: var(--muted); }
h2 { margin: 2.2rem 0 .4rem; font-size: 1.3rem; text-transform: capitalize; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
h3 { margin: 0 0 .3rem; font-size: 1.1rem; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
h4 { margin: 1rem 0 .35rem; font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
a { color: var(--accent); }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--code); padding: .75rem 1rem; border-radius: 8px; overflow-x: auto; margin: .3rem 0; }
.links a { margin-right: .2rem; }
.toc { list-style: none; padding: 0; margin: 0; display: grid; gap: .3rem; }
.toc a { text-decoration: none; color: inherit; }
.toc a code { color: var(--fg); }
.method { display: inline-block; min-width: 3.3rem; text-align: center; font: 700 .72rem/1.6 system-ui, sans-serif; color: #fff; border-radius: 5px; padding: 0 .35rem; }
.method.get { background: var(--get); }
.method.post { background: var(--post); }
.operation, .component { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 1rem 1.25rem; margin: 1rem 0; }
.summary { font-weight: 600; margin: .2rem 0; }
.tag-desc { color: var(--muted); margin-top: 0; }
table { width: 100%; border-collapse: collapse; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
.props { list-style: none; margin: .3rem 0; padding-left: 1rem; border-left: 2px solid var(--line); }
.props li { margin: .3rem 0; }
.prop { font-weight: 600; }
.type { color: var(--accent); font-family: ui-monospace, monospace; font-size: .85rem; }
.required { font-size: .72rem; color: #c2410c; font-weight: 600; }
.limits { font-size: .8rem; color: var(--muted); }
.desc { color: var(--muted); font-size: .9rem; margin: .1rem 0; }
.media { margin: .4rem 0 .6rem; }
.ctype { display: inline-block; font-size: .75rem; background: var(--code); border-radius: 4px; padding: 0 .4rem; margin-bottom: .2rem; }
.response { border-top: 1px dashed var(--line); padding: .5rem 0; }
.status { display: inline-block; font: 700 .8rem/1.6 ui-monospace, monospace; border-radius: 4px; padding: 0 .4rem; color: #fff; background: #64748b; }
.status.s2 { background: var(--get); } .status.s3 { background: #64748b; } .status.s4 { background: #c2410c; } .status.s5 { background: #b91c1c; }
.headers { margin: .2rem 0; font-size: .85rem; color: var(--muted); }
details summary { cursor: pointer; font-size: .85rem; color: var(--muted); }
main { padding-bottom: 3rem; }
`;
