/**
 * A change of a province's thresholds: every answer computed with them is stale afterwards (the execution
 * lists and summary, the overview, the contract alerts, the follow-ups' catch-up notes), and the audit log
 * records the change.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RegionSettingsView, UpdateRegionSettingsInput } from '@vbp/contracts/settings';
import { apiSend } from '../../../lib/api';

const DEPENDENT_KEYS = [['settings'], ['execution'], ['overview'], ['contract-alerts'], ['follow-ups'], ['audit']] as const;

export function useUpdateSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateRegionSettingsInput) => apiSend<RegionSettingsView>('PUT', '/api/settings', input),
    onSuccess: () => Promise.all(DEPENDENT_KEYS.map((queryKey) => client.invalidateQueries({ queryKey: [...queryKey] }))),
  });
}
