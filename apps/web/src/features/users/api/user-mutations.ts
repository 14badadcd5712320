/** Account changes by an administrator; each invalidates the user list and the audit log that records it. */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateUserInput, UpdateUserInput, UserView } from '@vbp/contracts/auth';
import { apiSend } from '../../../lib/api';

export function createUser(input: CreateUserInput): Promise<UserView> {
  return apiSend<UserView>('POST', '/api/users', input);
}

export function updateUser(id: number, input: UpdateUserInput): Promise<UserView> {
  return apiSend<UserView>('PATCH', `/api/users/${id}`, input);
}

/** The user must change it at next sign-in; their sessions are revoked. */
export function resetPassword(id: number, newPassword: string): Promise<undefined> {
  return apiSend('POST', `/api/users/${id}/reset-password`, { newPassword });
}

function invalidateUsers(client: QueryClient): Promise<unknown> {
  return Promise.all([client.invalidateQueries({ queryKey: ['users'] }), client.invalidateQueries({ queryKey: ['audit'] })]);
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createUser, onSuccess: () => invalidateUsers(client) });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (v: { id: number; input: UpdateUserInput }) => updateUser(v.id, v.input), onSuccess: () => invalidateUsers(client) });
}

export function useResetPassword() {
  const client = useQueryClient();
  return useMutation({ mutationFn: (v: { id: number; newPassword: string }) => resetPassword(v.id, v.newPassword), onSuccess: () => invalidateUsers(client) });
}
