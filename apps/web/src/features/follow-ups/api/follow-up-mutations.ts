/**
 * Writes by the procurement office: put an institution on the list, change an item. Each invalidates the
 * follow-up list and counts (['follow-ups']) and the audit log that records it (['audit']).
 */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateFollowUpInput, FollowUpView, UpdateFollowUpInput } from '@vbp/contracts/follow-ups';
import { apiSend, buildUrl } from '../../../lib/api';

function invalidateFollowUps(client: QueryClient): Promise<unknown> {
  return Promise.all([client.invalidateQueries({ queryKey: ['follow-ups'] }), client.invalidateQueries({ queryKey: ['audit'] })]);
}

export function useCreateFollowUp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateFollowUpInput) => apiSend<FollowUpView>('POST', '/api/follow-ups', input),
    onSuccess: () => invalidateFollowUps(client),
  });
}

export function useUpdateFollowUp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { region: string; id: number; input: UpdateFollowUpInput }) =>
      apiSend<FollowUpView>('PATCH', buildUrl(`/api/follow-ups/${v.id}`, { region: v.region }), v.input),
    onSuccess: () => invalidateFollowUps(client),
  });
}
