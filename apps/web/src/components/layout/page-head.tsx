import type { ReactNode } from 'react';

/** A page's title, a line on what it is for, and its own actions (a link or a button) beside them. */
export function PageHead({ title, intro, actions }: { title: ReactNode; intro?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page__head page__head--actions">
      <div>
        <h1 className="page__title">{title}</h1>
        {intro ? <p className="page__subtitle">{intro}</p> : null}
      </div>
      {actions}
    </div>
  );
}
