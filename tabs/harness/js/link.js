// A tab's "Link to this setup" button (tabs/harness/links.py): the address of the page with this tab's settings,
// only those that differ from what the page opens with (or from the preset chosen); copied when the page may.
(...values) => {
    const keys = {{KEYS}};
    const base = {{BASE}};
    const presets = {{PRESETS}};
    const same = (a, b) => {
        if (Array.isArray(a) || Array.isArray(b))
            return Array.isArray(a) && Array.isArray(b) && a.map(String).join(',') === b.map(String).join(',');
        if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
        return String(a).toLowerCase() === String(b).toLowerCase();
    };
    const preset = presets[values[keys.indexOf({{PRESET_KEY}})]] || {};
    const url = new URL(window.location.href);
    for (const k of [...url.searchParams.keys()]) if (k.includes('.')) url.searchParams.delete(k);
    url.searchParams.set('tab', {{TAB}});
    keys.forEach((k, i) => {
        const v = values[i];
        if (v === null || v === undefined) return;
        if (same(v, k in preset ? preset[k] : base[k])) return;
        url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
    });
    const text = url.toString();
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text);
    return text;
}
