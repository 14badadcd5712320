import { buildUrl } from '../../../lib/api';
import { readPage, readText, toSearchParams } from '../../../lib/search-params';
import { parseDateParam, parseRegionParam } from '../../../lib/view-params';

export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit log's filters, as the URL carries them:
 * /admin/audit?actor=jiangsu-office&action=target.create&entity=target&region=320000&from=2026-01-01&to=2026-01-31&page=2
 */
export interface AuditFilters {
  actor?: string | undefined;
  action?: string | undefined;
  entity?: string | undefined;
  region?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
}

export function parseAuditFilters(params: URLSearchParams): AuditFilters {
  return {
    actor: readText(params.get('actor')),
    action: readText(params.get('action')),
    entity: readText(params.get('entity')),
    region: parseRegionParam(params.get('region')) ?? undefined,
    from: parseDateParam(params.get('from')) ?? undefined,
    to: parseDateParam(params.get('to')) ?? undefined,
    page: readPage(params.get('page')),
  };
}

export function auditFiltersToParams(f: AuditFilters): URLSearchParams {
  return toSearchParams({ actor: f.actor, action: f.action, entity: f.entity, region: f.region, from: f.from, to: f.to, page: f.page });
}

/** The filters the API takes (the list adds page and pageSize; the export takes these alone). */
export function auditQuery(f: AuditFilters): Record<string, string | undefined> {
  return { actor: f.actor, action: f.action, entity: f.entity, region: f.region, from: f.from, to: f.to };
}

/** The CSV of every entry matching the filters (not only the page on screen). */
export function auditExportUrl(f: AuditFilters): string {
  return buildUrl('/api/audit/export.csv', auditQuery(f));
}

export function hasAuditFilters(f: AuditFilters): boolean {
  return Object.values(auditQuery(f)).some((v) => v !== undefined);
}

/** A range whose start is after its end matches nothing: say so instead of asking. */
export function isRangeValid(f: Pick<AuditFilters, 'from' | 'to'>): boolean {
  return !(f.from && f.to && f.from > f.to);
}
