import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ChangePasswordInput } from '@vbp/contracts/auth';
import { apiSend } from '../../../lib/api';
import { meQueryOptions } from '../../../lib/auth/me';

export function changePassword(input: ChangePasswordInput): Promise<undefined> {
  return apiSend('POST', '/api/auth/password', input);
}

/** Changes the password, then reads the session again (mustChangePassword is cleared, the token may be new). */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: async () => {
      await client.fetchQuery({ ...meQueryOptions(), staleTime: 0 });
      void client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}
