/** Where to go after signing in: a path of this app only (never another origin, never back to /login). */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (!raw) return null;
  // Same-origin paths only: "//host" and "/\host" are protocol-relative in browsers.
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  if (/[\u0000-\u001f]/.test(raw)) return null;
  const path = raw.split(/[?#]/, 1)[0] ?? '';
  if (path === '/login' || path.startsWith('/login/')) return null;
  return raw;
}

/** `/login?next=<where the user was>`; plain `/login` when they were on the home page with no view. */
export function loginPath(location: { pathname: string; search: string; hash?: string }): string {
  const here = `${location.pathname}${location.search}${location.hash ?? ''}`;
  const next = safeNextPath(here);
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}
