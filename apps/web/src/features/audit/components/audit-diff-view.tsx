import type { AuditEntry } from '@vbp/contracts/auth';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { diffAudit, formatAuditValue } from '../utils/audit-diff';

/** What an entry changed, field by field: before → after, with added and removed fields marked. */
export function AuditDiffView({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n();
  const a = t.audit;
  const diff = diffAudit(entry.before, entry.after);
  const words = { yes: a.yes, no: a.no, empty: a.emptyValue };
  const kindLabel = { added: a.added, removed: a.removed, changed: a.changed };
  return (
    <div className="audit-diff" data-testid="audit-diff" data-mode={diff.mode}>
      {diff.mode === 'created' ? <p className="audit-diff__mode">{a.created}</p> : null}
      {diff.mode === 'deleted' ? <p className="audit-diff__mode">{a.deletedRecord}</p> : null}
      {diff.changes.length === 0 ? (
        <p className="muted">{a.noChanges}</p>
      ) : (
        <table className="table table--compact audit-diff__table">
          <thead>
            <tr>
              <th scope="col">{a.field}</th>
              {diff.mode !== 'created' ? <th scope="col">{a.before}</th> : null}
              {diff.mode !== 'deleted' ? <th scope="col">{a.after}</th> : null}
            </tr>
          </thead>
          <tbody>
            {diff.changes.map((c) => (
              <tr key={c.path} className={`audit-diff__row audit-diff__row--${c.kind}`} data-kind={c.kind}>
                <th scope="row">
                  <code>{c.path || '·'}</code>
                  {diff.mode === 'changed' && c.kind !== 'changed' ? <span className="tag">{kindLabel[c.kind]}</span> : null}
                </th>
                {diff.mode !== 'created' ? (
                  <td className="audit-diff__before">
                    {c.kind === 'added' ? <span className="muted">—</span> : <del>{formatAuditValue(c.before, words)}</del>}
                  </td>
                ) : null}
                {diff.mode !== 'deleted' ? (
                  <td className="audit-diff__after">
                    {c.kind === 'removed' ? <span className="muted">—</span> : <ins>{formatAuditValue(c.after, words)}</ins>}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {diff.mode === 'changed' && diff.unchanged > 0 ? <p className="audit-diff__unchanged muted">{a.unchangedCount(diff.unchanged)}</p> : null}
    </div>
  );
}
