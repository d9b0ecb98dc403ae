// After the address's language has been applied: show the page (head.js hid it).
() => { document.documentElement.classList.remove('lang-pending'); }
