import { Fragment, useEffect, useState } from 'react';
import type { AuditEntry } from '@vbp/contracts/auth';
import { NATION_CODE } from '@vbp/contracts/enums';
import { PageHead } from '../../../components/layout/page-head';
import { FilterBar, FilterField, FilterSelect, useFilterDraft } from '../../../components/ui/filter-bar';
import { PagedQueryContent } from '../../../components/ui/pagination';
import { Panel } from '../../../components/ui/panel';
import { StackTable } from '../../../components/ui/table';
import { isNationalUser } from '../../../lib/auth/permissions';
import { useSessionUser } from '../../../lib/auth/session-context';
import { formatDateTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { regionName } from '../../../lib/region-name';
import { useRegions } from '../../../lib/regions';
import { useUrlFilters } from '../../../lib/search-params';
import { useAudit } from '../api/get-audit';
import { auditExportUrl, auditFiltersToParams, hasAuditFilters, isRangeValid, parseAuditFilters, type AuditFilters } from '../utils/audit-filters';
import { AuditDiffView } from './audit-diff-view';

/**
 * 审计日志 (read:audit): administrators see every region, a procurement office its own (the API scopes
 * the list and the export). Filters live in the URL; the export downloads what the filters select.
 */
export function AuditPage() {
  const { t, lang } = useI18n();
  const a = t.audit;
  const user = useSessionUser();
  const national = isNationalUser(user);
  const regions = useRegions();
  const [filters, go] = useUrlFilters(parseAuditFilters, auditFiltersToParams);
  const rangeOk = isRangeValid(filters);
  const audit = useAudit(filters, rangeOk);
  const busy = audit.isPlaceholderData || (audit.isFetching && audit.data !== undefined);
  const ownRegion = regions.data?.items.find((r) => r.code === user.regionCode);

  useEffect(() => {
    document.title = `${a.title} · ${t.app.name}`;
  }, [t, a.title]);

  return (
    <div className="page" data-testid="audit-page">
      <PageHead
        title={a.title}
        intro={
          <>
            {a.intro}
            {!national ? ` ${a.introScoped(ownRegion ? regionName(ownRegion, lang) : user.regionCode)}` : ''}
          </>
        }
        actions={
          <a className="button" href={auditExportUrl(filters)} download title={a.exportHint} data-testid="audit-export">
            <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
              <path d="M8 2v8M4.5 6.8L8 10.3l3.5-3.5M3 13.5h10" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            {a.export}
          </a>
        }
      />

      <AuditFilterForm filters={filters} national={national} onApply={(f) => go({ ...f, page: 1 })} />

      <Panel title={a.listTitle} busy={busy} testId="audit-panel">
        {!rangeOk ? (
          <p className="notice notice--warn" role="alert">
            {a.invalidRange}
          </p>
        ) : (
          <PagedQueryContent query={audit} empty={a.empty} skeletonLines={10} busy={busy} onPage={(page) => go({ ...filters, page })}>
            {(items) => <AuditTable entries={items} />}
          </PagedQueryContent>
        )}
      </Panel>
    </div>
  );
}

function AuditFilterForm({ filters, national, onApply }: { filters: AuditFilters; national: boolean; onApply: (f: AuditFilters) => void }) {
  const { t, lang } = useI18n();
  const a = t.audit;
  const regions = useRegions();
  const [draft, setDraft] = useFilterDraft(filters, auditFiltersToParams);
  const draftRangeOk = isRangeValid(draft);
  // actor matches part of a username; action and entity match exactly, so their known codes are suggested.
  const text = (field: 'actor' | 'action' | 'entity', label: string, suggestions?: Record<string, string>) => (
    <FilterField label={label}>
      {(id) => (
        <>
          <input
            id={id}
            className="input"
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            list={suggestions ? `${id}-list` : undefined}
            value={draft[field] ?? ''}
            onChange={(e) => setDraft({ ...draft, [field]: e.target.value || undefined })}
            data-testid={`audit-filter-${field}`}
          />
          {suggestions ? (
            <datalist id={`${id}-list`}>
              {Object.entries(suggestions).map(([code, name]) => (
                <option key={code} value={code} label={name} />
              ))}
            </datalist>
          ) : null}
        </>
      )}
    </FilterField>
  );
  const apply = () => {
    if (!draftRangeOk) return;
    const trim = (v: string | undefined) => v?.trim() || undefined;
    onApply({ ...draft, actor: trim(draft.actor), action: trim(draft.action), entity: trim(draft.entity), page: 1 });
  };
  return (
    <FilterBar
      label={a.title}
      testId="audit-filters"
      onApply={apply}
      onClear={() => onApply({ page: 1 })}
      active={hasAuditFilters(filters)}
      applyLabel={a.apply}
      clearLabel={a.clear}
      applyDisabled={!draftRangeOk}
      applyTestId="audit-apply"
    >
      {text('actor', a.actor)}
      {text('action', a.action, a.actions)}
      {text('entity', a.entity, a.entities)}
      {national ? (
        <FilterSelect
          label={a.region}
          anyLabel={a.anyRegion}
          value={draft.region}
          options={(regions.data?.items ?? []).map((r) => ({ value: r.code, label: r.code === NATION_CODE ? t.auth.nationalRegion : regionName(r, lang, true) }))}
          onChange={(region) => setDraft({ ...draft, region })}
          testId="audit-filter-region"
        />
      ) : null}
      <FilterField label={a.from}>
        {(id) => <input id={id} className="input" type="date" value={draft.from ?? ''} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value || undefined })} data-testid="audit-filter-from" />}
      </FilterField>
      <FilterField label={a.to}>
        {(id) => (
          <>
            <input
              id={id}
              className="input"
              type="date"
              value={draft.to ?? ''}
              min={draft.from}
              onChange={(e) => setDraft({ ...draft, to: e.target.value || undefined })}
              aria-invalid={draftRangeOk ? undefined : true}
              aria-describedby={draftRangeOk ? undefined : `${id}-range`}
              data-testid="audit-filter-to"
            />
            {!draftRangeOk ? (
              <span id={`${id}-range`} className="field__error">
                {a.invalidRange}
              </span>
            ) : null}
          </>
        )}
      </FilterField>
    </FilterBar>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const { t, lang } = useI18n();
  const a = t.audit;
  const regions = useRegions();
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const regionLabel = (code: string | null) => {
    if (!code) return '—';
    if (code === NATION_CODE) return t.auth.nationalRegion;
    const r = regions.data?.items.find((x) => x.code === code);
    return r ? regionName(r, lang, true) : code;
  };
  return (
    <StackTable className="audit-table" columns={[a.at, a.actor, a.action, a.entity, a.region, { label: a.details, hidden: true }]}>
      {entries.map((e) => {
        const expanded = open.has(e.id);
        const detailsId = `audit-details-${e.id}`;
        return (
          <Fragment key={e.id}>
            <tr data-testid="audit-row" data-action={e.action} data-entity={e.entity} className={expanded ? 'is-expanded' : undefined}>
              <td data-label={a.at} className="nowrap num">
                <time dateTime={e.at}>{formatDateTime(e.at, true)}</time>
              </td>
              <th scope="row" data-label={a.actor}>
                <code>{e.actor}</code>
              </th>
              <td data-label={a.action}>
                <span className="cell-main">{a.actions[e.action] ?? e.action}</span>
                <code className="cell-sub">{e.action}</code>
              </td>
              <td data-label={a.entity}>
                <span className="cell-main">
                  {a.entities[e.entity] ?? e.entity}
                  {e.entityId ? <span className="muted"> #{e.entityId}</span> : null}
                </span>
                <code className="cell-sub">{e.entity}</code>
              </td>
              <td data-label={a.region}>{regionLabel(e.regionCode)}</td>
              <td data-label={a.details}>
                <button
                  type="button"
                  className="button button--small"
                  aria-expanded={expanded}
                  aria-controls={detailsId}
                  onClick={() => toggle(e.id)}
                  data-testid="audit-expand"
                >
                  {expanded ? a.hideDetails : a.details}
                </button>
              </td>
            </tr>
            {expanded ? (
              <tr id={detailsId} className="audit-details">
                <td colSpan={6}>
                  <AuditDiffView entry={e} />
                  <p className="audit-details__meta">
                    {e.ip ? (
                      <>
                        {a.ip}: <code>{e.ip}</code>
                      </>
                    ) : null}
                    {e.requestId ? (
                      <>
                        {e.ip ? ' · ' : ''}
                        {a.requestId}: <code>{e.requestId}</code>
                      </>
                    ) : null}
                  </p>
                </td>
              </tr>
            ) : null}
          </Fragment>
        );
      })}
    </StackTable>
  );
}
