/**
 * Default look: inherits the host page's font and colour, so it fits most pages as is. Everything can be restyled
 * from outside through the parts (`chorus-sentiment::part(bar-fill) { ... }`) and these custom properties:
 * --chorus-positive, --chorus-negative, --chorus-border, --chorus-radius, --chorus-track.
 */
export const widgetStyles = `
:host{display:block;max-width:40rem;font:inherit;color:inherit;
--chorus-positive:#1a7f37;--chorus-negative:#c62828;--chorus-radius:8px;
--chorus-border:color-mix(in srgb,currentColor 28%,transparent);--chorus-track:color-mix(in srgb,currentColor 12%,transparent)}
:host([hidden]){display:none}
*{box-sizing:border-box}
.box{display:grid;gap:.5rem;padding:.75rem;border:1px solid var(--chorus-border);border-radius:var(--chorus-radius)}
label{font-weight:600}
textarea{width:100%;min-height:6em;resize:vertical;padding:.5rem .6rem;font:inherit;color:inherit;background:transparent;
border:1px solid var(--chorus-border);border-radius:calc(var(--chorus-radius)*.75)}
textarea:focus-visible{outline:2px solid color-mix(in srgb,var(--chorus-positive) 70%,currentColor);outline-offset:1px}
[data-attached] label,[data-attached] textarea{display:none}
.row{display:flex;justify-content:space-between;align-items:baseline;gap:.75rem;flex-wrap:wrap}
.label{font-weight:700;text-transform:capitalize}
.label[data-label=positive]{color:var(--chorus-positive)}
.label[data-label=negative]{color:var(--chorus-negative)}
.bar{height:.6rem;border-radius:1rem;background:var(--chorus-track);overflow:hidden}
.fill{height:100%;width:0;border-radius:inherit;background:var(--chorus-negative);transition:width .2s ease-out}
.fill[data-label=positive]{background:var(--chorus-positive)}
.small{font-size:.8em;opacity:.8}
[data-busy] .label,[data-busy] .fill{opacity:.6}
.status[data-kind=error]{color:var(--chorus-negative);opacity:1;font-weight:600}
@media (prefers-reduced-motion:reduce){.fill{transition:none}}
`;
