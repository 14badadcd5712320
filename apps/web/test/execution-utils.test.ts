import { describe, expect, it } from 'vitest';
import { completionBar, executionFiltersToParams, executionQuery, parseExecutionFilters } from '../src/features/execution/utils/execution-filters';
import { suggestedDate } from '../src/lib/execution-source';

describe('execution filters in the URL', () => {
  it('reads what the URL says and drops what is malformed', () => {
    const f = parseExecutionFilters(new URLSearchParams('by=variety&batch=D5&city=320100&level=三级&behind=1&sort=agreed&page=3&institution=12'));
    expect(f).toEqual({ by: 'variety', batch: 'D5', city: '320100', level: '三级', behind: true, sort: 'agreed', page: 3, institution: 12 });
    expect(parseExecutionFilters(new URLSearchParams('by=hospital&city=32&sort=x&page=-1&institution=abc&behind=yes'))).toEqual({
      by: 'institution',
      batch: undefined,
      city: undefined,
      level: undefined,
      behind: undefined,
      sort: 'gap',
      page: 1,
      institution: undefined,
    });
  });

  it('writes defaults as nothing and keeps the header’s region and date', () => {
    const params = executionFiltersToParams({ by: 'institution', sort: 'gap', page: 1, city: '320100' }, new URLSearchParams('region=320000&date=2024-06-30&level=x'));
    expect(params.toString()).toBe('region=320000&date=2024-06-30&city=320100');
    const f = parseExecutionFilters(new URLSearchParams('by=batch&behind=1&page=2'));
    expect(parseExecutionFilters(executionFiltersToParams(f))).toEqual(f);
  });

  it('asks the API for the same view (behind as true/false; the date left out for today)', () => {
    expect(executionQuery('320000', null, { by: 'city', sort: 'gap', page: 2, behind: true })).toEqual({
      region: '320000',
      date: undefined,
      by: 'city',
      batch: undefined,
      city: undefined,
      level: undefined,
      behind: 'true',
      sort: 'gap',
    });
  });
});

describe('completion bar', () => {
  it('fills completion and marks time progress, both in percent of the agreed volume', () => {
    expect(completionBar(0.3127, 0.6673)).toEqual({ fill: 31.3, marker: 66.7, over: false });
  });
  it('caps at 100% and says when completion is over', () => {
    expect(completionBar(1.42, 1)).toEqual({ fill: 100, marker: 100, over: true });
  });
  it('draws nothing for a row without agreed volume', () => {
    expect(completionBar(null, 0.5)).toEqual({ fill: 0, marker: 50, over: false });
  });
});

describe('suggested date for an empty view', () => {
  it('is the end of the latest purchase month within the contract years on file', () => {
    expect(suggestedDate({ periodsFrom: '2022-04-01', periodsTo: '2025-11-30', purchasesThrough: '2024-12-01' })).toBe('2024-12-31');
    expect(suggestedDate({ periodsFrom: '2022-04-01', periodsTo: '2024-06-30', purchasesThrough: '2024-12-01' })).toBe('2024-06-30');
    expect(suggestedDate({ periodsFrom: '2025-01-01', periodsTo: '2025-12-31', purchasesThrough: '2024-02-01' })).toBe('2025-01-01');
  });
  it('is the end of the contract years without purchases, and nothing without agreed volumes', () => {
    expect(suggestedDate({ periodsFrom: '2024-01-01', periodsTo: '2024-12-31', purchasesThrough: null })).toBe('2024-12-31');
    expect(suggestedDate({ periodsFrom: null, periodsTo: null, purchasesThrough: '2024-12-01' })).toBeNull();
  });
});
