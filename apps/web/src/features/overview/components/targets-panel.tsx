import type { Overview, TargetView } from '@vbp/contracts/api';
import { Panel, QueryContent } from '../../../components/ui/panel';
import { Skeleton } from '../../../components/ui/skeleton';
import { formatCount } from '../../../lib/format';
import { Can } from '../../../lib/auth/can';
import { mayAct } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { TargetDue, TargetProgress, TargetProjection, TargetStatus } from '../../targets/components/target-cells';
import { AddTargetButton, TargetDialogs, TargetRowActions, useTargetEditing } from '../../targets/components/target-dialogs';
import { sortTargets } from '../utils/targets';
import { SourceRef } from '../../../components/ui/source-ref';
import type { OverviewQuery } from './overview-query';

/**
 * Every target the region is measured against: its own and the national per-province ones. Users who
 * may set targets for the region (write:targets, own province; national users everywhere) can add, edit
 * and delete; everyone else sees the table only. The dialogs belong to the targets feature (the 目标 page
 * edits the same way).
 */
export function TargetsPanel({ query, busy }: { query: OverviewQuery; busy: boolean }) {
  const { t } = useI18n();
  const region = query.data?.region;
  const { editing, setEditing, close } = useTargetEditing();

  return (
    <Panel
      title={t.targets.title}
      busy={busy}
      testId="targets-panel"
      actions={
        region ? (
          <Can action="write:target" region={region.code}>
            <AddTargetButton onClick={() => setEditing({ kind: 'create', region })} disabled={busy} />
          </Can>
        ) : null
      }
    >
      <QueryContent query={query} isEmpty={(o) => o.targets.length === 0} empty={t.targets.empty} skeleton={<Skeleton lines={4} />}>
        {(o) => <TargetsTable overview={o} onEdit={(target) => setEditing({ kind: 'edit', target })} onDelete={(target) => setEditing({ kind: 'delete', target })} />}
      </QueryContent>
      <TargetDialogs editing={editing} onClose={close} cited={query.data?.targets ?? []} />
    </Panel>
  );
}

function TargetsTable({ overview, onEdit, onDelete }: { overview: Overview; onEdit: (t: TargetView) => void; onDelete: (t: TargetView) => void }) {
  const { t, lang } = useI18n();
  const user = useSessionUser();
  const targets = sortTargets(overview.targets);
  const editable = (target: TargetView) => mayAct(user, 'write:target', target.ownerRegionCode);
  const anyEditable = targets.some(editable);
  return (
    <table className="table table--stack">
      <thead>
        <tr>
          <th scope="col">{t.targets.target}</th>
          <th scope="col">{t.targets.due}</th>
          <th scope="col">{t.targets.progress}</th>
          <th scope="col">{t.targets.status}</th>
          <th scope="col">{t.targets.projection}</th>
          <th scope="col">{t.targets.source}</th>
          {anyEditable ? <th scope="col">{t.targetEdit.actions}</th> : null}
        </tr>
      </thead>
      <tbody>
        {targets.map((target) => (
            <tr key={target.id} data-testid={`target-${target.code}`}>
              <th scope="row" data-label={t.targets.target}>
                <span className="cell-main nowrap">
                  {t.types[target.productType]} ≥ {formatCount(target.count, lang)}
                  {t.units[target.unit]}
                </span>
                <span className="cell-sub">{target.scope === 'each_province' ? t.targets.scopeEachProvince : t.targets.scopeRegion}</span>
              </th>
              <td data-label={t.targets.due}>
                <TargetDue target={target} />
              </td>
              <td data-label={t.targets.progress}>
                <TargetProgress target={target} />
              </td>
              <td data-label={t.targets.status}>
                <TargetStatus target={target} />
              </td>
              <td data-label={t.targets.projection}>
                <TargetProjection target={target} />
              </td>
              <td data-label={t.targets.source}>
                <SourceRef source={target.source} />
              </td>
              {anyEditable ? (
                <td data-label={t.targetEdit.actions}>
                  {editable(target) ? (
                    <TargetRowActions target={target} onEdit={() => onEdit(target)} onDelete={() => onDelete(target)} />
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              ) : null}
            </tr>
        ))}
      </tbody>
    </table>
  );
}
