import type { ReactNode } from 'react';
import { Link } from 'react-router';

/**
 * The product bar: name and navigation on the left, the view's controls (region, date) and the language
 * switch and account on the right. On a phone the aside stays beside the name and the rest wraps below.
 */
export function AppHeader(props: { name: string; tagline: string; homeHref: string; nav?: ReactNode; children?: ReactNode; aside?: ReactNode }) {
  const { name, tagline, homeHref, nav, children, aside } = props;
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Link to={homeHref} className="brand">
          <svg className="brand__mark" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="6" fill="currentColor" />
            <path d="M7 23V15M13 23V11M19 23V13M25 23V7" stroke="#fff" strokeWidth="3.2" strokeLinecap="round" />
          </svg>
          <span className="brand__text">
            <span className="brand__name">{name}</span>
            <span className="brand__tagline">{tagline}</span>
          </span>
        </Link>
        {nav ?? null}
        {children ? <div className="app-header__controls">{children}</div> : <div className="app-header__spacer" />}
        {aside ? <div className="app-header__aside">{aside}</div> : null}
      </div>
    </header>
  );
}
