import { useId, useState } from 'react';
import type { UploadView } from '@vbp/contracts/uploads';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { CheckboxField } from '../../../components/ui/field';
import { Panel } from '../../../components/ui/panel';
import { useToast } from '../../../components/ui/toast';
import { formatCount } from '../../../lib/format';
import { useCommitUpload } from '../api/upload-mutations';
import { useUploadText } from '../i18n/use-upload-text';
import { issueTotal } from '../utils/issues';
import { commitBlock, hasWarnings } from '../utils/upload-status';

/**
 * 提交入库. Shown for a checked upload: enabled when it is validated and, if it has warnings, once the
 * clerk has ticked that they read them; for an invalid one the button stays (disabled) with the reason.
 */
export function CommitPanel({ view }: { view: UploadView }) {
  const { u, lang } = useUploadText();
  const id = useId();
  const [acknowledged, setAcknowledged] = useState(false);
  const commit = useCommitUpload(view.id);
  const toast = useToast();
  const block = commitBlock(view, acknowledged);
  const warnings = hasWarnings(view);
  const reason = block === 'not-validated' ? u.commitBlockedInvalid : block === 'warnings' ? u.acknowledgeNeeded : null;
  return (
    <Panel title={u.commitTitle} testId="commit-panel">
      <p className="panel__desc">{u.commitIntro}</p>
      {view.status === 'validated' && warnings ? (
        <CheckboxField
          label={u.acknowledge(formatCount(issueTotal(view.warnings.length, view.moreWarnings), lang))}
          checked={acknowledged}
          onChange={setAcknowledged}
          testId="acknowledge-warnings"
        />
      ) : null}
      {commit.isError ? <ErrorNotice error={commit.error} title={u.commitFailed} testId="commit-error" /> : null}
      <div className="commit-panel__actions">
        <button
          type="button"
          className="button button--primary"
          disabled={block !== null || commit.isPending}
          aria-describedby={reason ? `${id}-reason` : undefined}
          onClick={() =>
            commit.mutate(
              { acknowledgeWarnings: warnings && acknowledged },
              { onSuccess: (v) => (v.status === 'committed' ? toast.notify(u.committedTitle) : undefined) },
            )
          }
          data-testid="commit-upload"
        >
          {commit.isPending ? u.committing : u.commit}
        </button>
        <p id={`${id}-reason`} className="commit-panel__reason" data-testid="commit-reason">
          {reason ?? '\u00a0'}
        </p>
      </div>
    </Panel>
  );
}
