import { Link } from 'react-router';
import { useCan } from '../../lib/auth/can';
import { EmptyState } from './panel';

/**
 * No province agreed volumes loaded (the batch page's panel and the execution page's check): says so, and
 * leads a user who may upload to the upload with the kind chosen; others are told who loads the table.
 */
export function VolumesEmpty(props: { region: string; message: string; uploadLabel: string; uploadBy: string; testId: string; uploadTestId: string }) {
  const mayUpload = useCan('create:upload', props.region);
  return (
    <div data-testid={props.testId}>
      <EmptyState>{props.message}</EmptyState>
      {mayUpload ? (
        <p className="volumes-empty__actions">
          <Link className="button button--primary" to="/uploads/new?kind=province-volumes" data-testid={props.uploadTestId}>
            {props.uploadLabel}
          </Link>
        </p>
      ) : (
        <p className="muted">{props.uploadBy}</p>
      )}
    </div>
  );
}
