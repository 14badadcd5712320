import { Link } from 'react-router';

/** A batch's code as a link to its page (/batches/:code), wherever a batch is named; `asCode` sets it as code. */
export function BatchLink({ code, className, asCode = false }: { code: string; className?: string; asCode?: boolean }) {
  return (
    <Link to={`/batches/${encodeURIComponent(code)}`} className={className} data-testid="batch-link">
      {asCode ? <code>{code}</code> : code}
    </Link>
  );
}
