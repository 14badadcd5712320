import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditList } from '@vbp/contracts/auth';
import { apiGet } from '../../../lib/api';
import { AUDIT_PAGE_SIZE, auditQuery, type AuditFilters } from '../utils/audit-filters';

export function getAudit(f: AuditFilters, signal?: AbortSignal): Promise<AuditList> {
  return apiGet<AuditList>('/api/audit', { ...auditQuery(f), page: f.page, pageSize: AUDIT_PAGE_SIZE }, { signal });
}

export const auditQueryOptions = (f: AuditFilters) =>
  queryOptions({
    queryKey: ['audit', 'list', { ...auditQuery(f), page: f.page }],
    queryFn: ({ signal }) => getAudit(f, signal),
    placeholderData: keepPreviousData,
    // An activity log: worth asking again when the page is opened.
    staleTime: 0,
  });

export function useAudit(f: AuditFilters, enabled = true) {
  return useQuery({ ...auditQueryOptions(f), enabled });
}
