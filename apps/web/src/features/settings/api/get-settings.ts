import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RegionSettingsView } from '@vbp/contracts/settings';
import { apiGet } from '../../../lib/api';

export function getSettings(region: string, signal?: AbortSignal): Promise<RegionSettingsView> {
  return apiGet<RegionSettingsView>('/api/settings', { region }, { signal });
}

export const settingsQueryOptions = (region: string) =>
  queryOptions({ queryKey: ['settings', region], queryFn: ({ signal }) => getSettings(region, signal) });

export function useRegionSettings(region: string) {
  return useQuery(settingsQueryOptions(region));
}
