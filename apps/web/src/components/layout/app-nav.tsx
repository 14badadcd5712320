import { NavLink } from 'react-router';

export interface NavItem {
  to: string;
  label: string;
  testId: string;
  /** Match the path exactly (the overview at "/"). */
  end?: boolean;
}

/** The pages a user may open; the caller leaves out the ones their role may not. */
export function AppNav({ items, label }: { items: NavItem[]; label: string }) {
  return (
    <nav className="app-nav" aria-label={label}>
      <ul className="app-nav__list">
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end ?? false} className="app-nav__link" data-testid={item.testId}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
