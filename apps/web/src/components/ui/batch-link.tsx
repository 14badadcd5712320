import { Link } from 'react-router';

/** A batch's code as a link to its page (/batches/:code), wherever a batch is named. */
export function BatchLink({ code, className }: { code: string; className?: string }) {
  return (
    <Link to={`/batches/${encodeURIComponent(code)}`} className={className} data-testid="batch-link">
      {code}
    </Link>
  );
}
