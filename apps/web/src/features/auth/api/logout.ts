import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiSend } from '../../../lib/api';
import { replaceSession } from '../../../lib/auth/me';

export function logout(): Promise<undefined> {
  return apiSend('POST', '/api/auth/logout');
}

/**
 * Signs out. The cache is emptied whatever the answer: a session that already expired (401) or a network
 * failure must not leave the previous user's data on screen.
 */
export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => replaceSession(client, null),
  });
}
