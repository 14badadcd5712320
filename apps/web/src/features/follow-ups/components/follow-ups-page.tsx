import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { FOLLOW_UP_REASONS, FOLLOW_UP_STATUSES, NATION_CODE, type FollowUpStatus } from '@vbp/contracts/enums';
import type { FollowUpList, FollowUpView } from '@vbp/contracts/follow-ups';
import { PageHead } from '../../../components/layout/page-head';
import { Dialog } from '../../../components/ui/dialog';
import { Field } from '../../../components/ui/field';
import { FormActions } from '../../../components/ui/form-actions';
import { SaveError, useFieldForm } from '../../../components/ui/field-form';
import { FilterBar, FilterSelect, useFilterDraft } from '../../../components/ui/filter-bar';
import { PagedQueryContent } from '../../../components/ui/pagination';
import { Panel } from '../../../components/ui/panel';
import { StackTable } from '../../../components/ui/table';
import { useToast } from '../../../components/ui/toast';
import { useCan } from '../../../lib/auth/can';
import { formatDate, formatDateTime, formatPercent } from '../../../lib/format';
import { regionName } from '../../../lib/region-name';
import { formatThreshold } from '../../../lib/threshold';
import { useRegions } from '../../../lib/regions';
import { useUrlFilters } from '../../../lib/search-params';
import { useViewParams } from '../../../lib/view-params';
import { useUpdateFollowUp } from '../api/follow-up-mutations';
import { useFollowUpList } from '../api/get-follow-ups';
import { useFollowUpsText } from '../i18n/use-follow-ups-text';
import { followUpExportUrl, followUpFiltersToParams, hasFollowUpFilters, parseFollowUpFilters, type FollowUpFilters } from '../utils/follow-up-filters';
import './follow-ups.css';

/**
 * 督办: the region's follow-up list, filtered by status, city, batch and reason (in the URL), paginated, with an
 * export. Offices move items through their statuses with a note; leaders read it.
 */
export function FollowUpsPage() {
  const { t, f, lang } = useFollowUpsText();
  const { region, date } = useViewParams();
  const [params] = useSearchParams();
  const [filters, go] = useUrlFilters(parseFollowUpFilters, (next) => followUpFiltersToParams(next, params));
  const list = useFollowUpList(region, date, filters);
  const data = list.data;
  const busy = list.isPlaceholderData || (list.isFetching && data !== undefined);
  const canWrite = useCan('write:follow-up', region);
  const regions = useRegions();
  const regionRow = regions.data?.items.find((r) => r.code === region);
  const regionLabel = regionRow ? (region === NATION_CODE ? t.auth.nationalRegion : regionName(regionRow, lang)) : region;

  useEffect(() => {
    document.title = `${f.title} · ${t.app.name}`;
  }, [t, f.title]);

  return (
    <div className="page" data-testid="follow-ups-page" data-region={region} data-view={data && !busy ? params.toString() : ''} aria-busy={busy}>
      <PageHead
        title={
          <>
            {regionLabel} · {f.title}
          </>
        }
        intro={f.intro}
        actions={
          <a className="button" href={followUpExportUrl(region, date, filters)} download data-testid="follow-ups-export">
            {f.export}
          </a>
        }
      />
      {!canWrite ? (
        <p className="banner" role="note" data-testid="follow-ups-read-only">
          {f.readOnly}
        </p>
      ) : null}
      <FollowUpFilterForm filters={filters} options={data?.options} onApply={(next) => go({ ...next, page: 1 })} />
      <Panel
        title={f.listTitle}
        busy={busy}
        testId="follow-ups-list"
        description={data ? <span data-testid="follow-ups-threshold" data-threshold={data.threshold} data-source={data.thresholdSource}>{f.thresholdNote(formatThreshold(data.threshold, data.thresholdSource, lang), formatDate(data.date))}</span> : undefined}
        actions={<Link to={`/execution?region=${region}`}>{f.toExecution} →</Link>}
      >
        <PagedQueryContent query={list} empty={<span>{f.empty} {f.emptyHint}</span>} skeletonLines={8} busy={busy} onPage={(page) => go({ ...filters, page })}>
          {(items) => <FollowUpTable items={items} region={region} canWrite={canWrite} threshold={data ? formatThreshold(data.threshold, data.thresholdSource, lang) : ''} />}
        </PagedQueryContent>
      </Panel>
    </div>
  );
}

function FollowUpFilterForm({ filters, options, onApply }: { filters: FollowUpFilters; options: FollowUpList['options'] | undefined; onApply: (f: FollowUpFilters) => void }) {
  const { f } = useFollowUpsText();
  const [draft, setDraft] = useFilterDraft(filters, (next) => followUpFiltersToParams(next));
  const withCurrent = (list: readonly { value: string; label: string }[], value: string | undefined) =>
    value && !list.some((o) => o.value === value) ? [...list, { value, label: value }] : list;
  return (
    <FilterBar label={f.title} testId="follow-ups-filters" onApply={() => onApply(draft)} onClear={() => onApply({ page: 1 })} active={hasFollowUpFilters(filters)} applyLabel={f.apply} clearLabel={f.clear} applyTestId="follow-ups-apply">
      <FilterSelect label={f.status} anyLabel={f.anyStatus} value={draft.status} options={FOLLOW_UP_STATUSES.map((s) => ({ value: s, label: f.statuses[s] }))} onChange={(status) => setDraft({ ...draft, status })} testId="follow-ups-filter-status" />
      <FilterSelect label={f.city} anyLabel={f.anyCity} value={draft.city} options={withCurrent(options?.cities ?? [], draft.city)} onChange={(city) => setDraft({ ...draft, city })} testId="follow-ups-filter-city" />
      <FilterSelect label={f.batch} anyLabel={f.anyBatch} value={draft.batch} options={withCurrent(options?.batches.map((b) => ({ value: b.value, label: `${b.value} ${b.label}` })) ?? [], draft.batch)} onChange={(batch) => setDraft({ ...draft, batch })} testId="follow-ups-filter-batch" />
      <FilterSelect label={f.reason} anyLabel={f.anyReason} value={draft.reason} options={FOLLOW_UP_REASONS.map((r) => ({ value: r, label: f.reasons[r] }))} onChange={(reason) => setDraft({ ...draft, reason })} testId="follow-ups-filter-reason" />
    </FilterBar>
  );
}

function FollowUpTable({ items, region, canWrite, threshold }: { items: readonly FollowUpView[]; region: string; canWrite: boolean; threshold: string }) {
  const { f } = useFollowUpsText();
  const [editing, setEditing] = useState<FollowUpView | null>(null);
  return (
    <>
      <StackTable className="follow-ups-table" columns={[f.institution, f.variety, f.reason, f.dueOn, f.status, f.progress, f.updated, ...(canWrite ? [{ label: f.actions, hidden: true }] : [])]}>
        {items.map((item) => (
          <tr key={`${item.regionCode}/${item.id}`} data-testid="follow-up-row" data-id={item.id} data-status={item.status} data-overdue={item.overdue} data-caught-up={String(item.caughtUp)}>
            <th scope="row" data-label={f.institution}>
              <span className="cell-main" data-testid="follow-up-institution">{item.institution.name}</span>
              <span className="cell-sub">{[item.institution.code, item.institution.cityName].filter(Boolean).join(' · ')}</span>
            </th>
            <td data-label={f.variety}>
              <span className="cell-main">{item.variety ? item.variety.nameZh : f.allVarieties}</span>
              {item.batch ? <span className="cell-sub">{item.batch.nameZh}</span> : null}
            </td>
            <td data-label={f.reason}>
              <span className="cell-main">{f.reasons[item.reason]}</span>
              {item.note ? <span className="cell-sub follow-up-note" data-testid="follow-up-note">{item.note}</span> : null}
            </td>
            <td data-label={f.dueOn} className="nowrap">
              {formatDate(item.dueOn)}
              {item.overdue ? <span className="tag tag--warn" data-testid="follow-up-overdue"> {f.overdue}</span> : null}
            </td>
            <td data-label={f.status}>
              <span className={`follow-up-status follow-up-status--${item.status}`} data-testid="follow-up-status">
                {f.statuses[item.status]}
              </span>
            </td>
            <td data-label={f.progress}>
              {item.completion !== null ? <span className="cell-main">{formatPercent(item.completion)} / {formatPercent(item.timeProgress)}</span> : null}
              {item.caughtUp === true ? (
                <span className="tag tag--ok" title={f.caughtUpHint(threshold)} data-testid="follow-up-caught-up">
                  ✓ {f.caughtUp}
                </span>
              ) : item.caughtUp === false ? (
                <span className="cell-sub">{f.stillBehind}</span>
              ) : item.status !== 'closed' ? (
                <span className="cell-sub muted">{f.notJudged}</span>
              ) : null}
            </td>
            <td data-label={f.updated}>
              <span className="cell-sub">{f.by(item.updatedBy, formatDateTime(item.updatedAt))}</span>
            </td>
            {canWrite ? (
              <td data-label={f.actions}>
                <button type="button" className="button button--small" onClick={() => setEditing(item)} data-testid="follow-up-change">
                  {f.changeStatus}
                </button>
              </td>
            ) : null}
          </tr>
        ))}
      </StackTable>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing ? f.changeTitle(editing.institution.name) : ''} testId="follow-up-change-dialog">
        {editing ? <ChangeStatusForm item={editing} region={region} onDone={() => setEditing(null)} /> : null}
      </Dialog>
    </>
  );
}

const CHANGE_FIELDS = ['status', 'note'] as const;

function ChangeStatusForm({ item, region, onDone }: { item: FollowUpView; region: string; onDone: () => void }) {
  const { f } = useFollowUpsText();
  const toast = useToast();
  const update = useUpdateFollowUp();
  const next = FOLLOW_UP_STATUSES[Math.min(FOLLOW_UP_STATUSES.indexOf(item.status) + 1, FOLLOW_UP_STATUSES.length - 1)]!;
  const { ref, values, set, onApiError, handleSubmit, errors } = useFieldForm<{ status: FollowUpStatus; note: string }>(() => ({ status: next, note: item.note ?? '' }), CHANGE_FIELDS);
  const onSubmit = handleSubmit(
    () => ({ ok: true as const, input: values }),
    (input) =>
      update.mutate(
        { region: item.regionCode || region, id: item.id, input: { status: input.status, note: input.note.trim() || null } },
        {
          onSuccess: () => {
            toast.notify(f.saved);
            onDone();
          },
          onError: onApiError,
        },
      ),
  );
  return (
    <form className="form" onSubmit={onSubmit} noValidate ref={ref} data-testid="follow-up-change-form">
      <div className="form-grid">
        <Field label={f.newStatus} error={errors.status} required>
          {(p) => (
            <select {...p} className="input" value={values.status} onChange={(ev) => set('status', ev.target.value as FollowUpStatus)} data-testid="follow-up-new-status">
              {FOLLOW_UP_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {f.statuses[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={f.note} error={errors.note} className="form-grid__wide">
          {(p) => <textarea {...p} className="input" rows={3} maxLength={2000} value={values.note} onChange={(ev) => set('note', ev.target.value)} data-testid="follow-up-change-note" />}
        </Field>
      </div>
      <SaveError error={update.error} fields={CHANGE_FIELDS} testId="follow-up-change-error" />
      <FormActions onCancel={onDone} submitLabel={f.save} pendingLabel={f.saving} pending={update.isPending} submitTestId="follow-up-change-submit" />
    </form>
  );
}
