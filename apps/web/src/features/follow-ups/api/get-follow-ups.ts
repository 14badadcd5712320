import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { FollowUpCounts, FollowUpList } from '@vbp/contracts/follow-ups';
import { apiGet } from '../../../lib/api';
import { FOLLOW_UPS_PAGE_SIZE, followUpQuery, type FollowUpFilters } from '../utils/follow-up-filters';

export const followUpListOptions = (region: string, date: string | null, f: FollowUpFilters) => {
  const query = followUpQuery(region, date, f);
  return queryOptions({
    queryKey: ['follow-ups', 'list', { ...query, date: date ?? 'today', page: f.page }],
    queryFn: ({ signal }) => apiGet<FollowUpList>('/api/follow-ups', { ...query, page: f.page, pageSize: FOLLOW_UPS_PAGE_SIZE }, { signal }),
    placeholderData: keepPreviousData,
  });
};

export function useFollowUpList(region: string, date: string | null, f: FollowUpFilters) {
  return useQuery(followUpListOptions(region, date, f));
}

export function useFollowUpCounts(region: string, date: string | null) {
  return useQuery({
    queryKey: ['follow-ups', 'counts', region, date ?? 'today'],
    queryFn: ({ signal }) => apiGet<FollowUpCounts>('/api/follow-ups/counts', { region, date }, { signal }),
    placeholderData: keepPreviousData,
  });
}
