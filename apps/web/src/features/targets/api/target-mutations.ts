/**
 * Writes by the procurement office: create, change and delete a target. Each invalidates what shows
 * targets (['targets'], ['overview']) and the audit log that records it (['audit']).
 */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateTargetInput, TargetView, UpdateTargetInput } from '@vbp/contracts/api';
import { apiSend } from '../../../lib/api';

export function createTarget(input: CreateTargetInput): Promise<TargetView> {
  return apiSend<TargetView>('POST', '/api/targets', input);
}

export function updateTarget(id: number, input: UpdateTargetInput): Promise<TargetView> {
  return apiSend<TargetView>('PATCH', `/api/targets/${id}`, input);
}

export function deleteTarget(id: number): Promise<undefined> {
  return apiSend('DELETE', `/api/targets/${id}`);
}

function invalidateTargets(client: QueryClient): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: ['targets'] }),
    client.invalidateQueries({ queryKey: ['overview'] }),
    client.invalidateQueries({ queryKey: ['audit'] }),
  ]);
}

export function useCreateTarget() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createTarget, onSuccess: () => invalidateTargets(client) });
}

export function useUpdateTarget() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (v: { id: number; input: UpdateTargetInput }) => updateTarget(v.id, v.input), onSuccess: () => invalidateTargets(client) });
}

export function useDeleteTarget() {
  const client = useQueryClient();
  return useMutation({ mutationFn: deleteTarget, onSuccess: () => invalidateTargets(client) });
}
