/* global location, window, fetch */
// The session's restore, started the moment the page runs: this tiny script (before the
// console's own in index.html, with nothing to import) asks for a new access token while the
// console's code is still being fetched and evaluated, not after it (on a slow network that is
// a round trip earlier). The auth store takes the answer once (web/src/stores/auth.ts); the
// sign-in page does not ask.
if (!location.pathname.startsWith('/login')) {
  window.ccEarlySession = fetch('/api/v1/auth/refresh', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    credentials: 'same-origin',
  })
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
}
