import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginInput, Me } from '@vbp/contracts/auth';
import { apiSend } from '../../../lib/api';
import { replaceSession } from '../../../lib/auth/me';

export function login(input: LoginInput): Promise<Me> {
  return apiSend<Me>('POST', '/api/auth/login', input);
}

/** Signs in and starts a fresh cache for the new session (nothing of a previous user survives). */
export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (me) => replaceSession(client, me),
  });
}
