import { describe, expect, it } from 'vitest';
import {
  followUpExportUrl,
  followUpFiltersToParams,
  followUpQuery,
  hasFollowUpFilters,
  parseFollowUpFilters,
} from '../src/features/follow-ups/utils/follow-up-filters';

describe('follow-up filters in the URL', () => {
  it('reads what the URL says and drops what is malformed', () => {
    expect(parseFollowUpFilters(new URLSearchParams('status=interviewed&city=320100&batch=JS-9&reason=supply&page=3'))).toEqual({
      status: 'interviewed',
      city: '320100',
      batch: 'JS-9',
      reason: 'supply',
      page: 3,
    });
    expect(parseFollowUpFilters(new URLSearchParams('status=done&city=32&reason=lazy&page=-2'))).toEqual({
      status: undefined,
      city: undefined,
      batch: undefined,
      reason: undefined,
      page: 1,
    });
  });

  it('writes defaults as nothing, keeps the header’s region and date, and reads back what it wrote', () => {
    const params = followUpFiltersToParams({ status: 'open', page: 1 }, new URLSearchParams('region=320000&date=2024-06-30&reason=x'));
    expect(params.toString()).toBe('region=320000&date=2024-06-30&status=open');
    const f = parseFollowUpFilters(new URLSearchParams('reason=not_reported&city=320200&page=2'));
    expect(parseFollowUpFilters(followUpFiltersToParams(f))).toEqual(f);
    expect(hasFollowUpFilters({ page: 4 })).toBe(false);
    expect(hasFollowUpFilters({ page: 1, batch: 'JS-9' })).toBe(true);
  });

  it('asks the API and the export for the same view (the date left out for today)', () => {
    expect(followUpQuery('320000', null, { status: 'closed', page: 2 })).toEqual({ region: '320000', date: undefined, status: 'closed', city: undefined, batch: undefined, reason: undefined });
    expect(followUpExportUrl('320000', '2024-06-30', { city: '320100', reason: 'supply', page: 5 })).toBe('/api/follow-ups/export.xlsx?region=320000&date=2024-06-30&city=320100&reason=supply');
  });
});
