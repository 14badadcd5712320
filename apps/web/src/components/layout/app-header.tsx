import type { ReactNode } from 'react';
import { Link } from 'react-router';

/**
 * The product bar: name on the left, the view's controls (region, date) and the language switch on the
 * right. On a phone the language switch stays beside the name and the controls take the second row.
 */
export function AppHeader(props: { name: string; tagline: string; homeHref: string; children: ReactNode; aside?: ReactNode }) {
  const { name, tagline, homeHref, children, aside } = props;
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
        <div className="app-header__controls">{children}</div>
        {aside ? <div className="app-header__aside">{aside}</div> : null}
      </div>
    </header>
  );
}
