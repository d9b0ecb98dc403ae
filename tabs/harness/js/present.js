// The presenter-mode box: large text and figures fitted to the first screen (head.js does the fitting).
(on) => {
    document.documentElement.classList.toggle('present', !!on);
    if (window.presenterRefit) window.presenterRefit();
    return on;
}
