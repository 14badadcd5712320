import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ToastProvider } from '../components/ui/toast';
import { configureApiSession } from '../lib/api';
import { cachedMe, meQueryOptions } from '../lib/auth/me';
import { I18nProvider } from '../lib/i18n/i18n-context';
import { createQueryClient } from './query-client';

/** The API client sends the CSRF token of the cached session, and asks for the current one when refused. */
function connectApiToSession(client: QueryClient): QueryClient {
  configureApiSession({
    csrfToken: () => cachedMe(client)?.csrfToken ?? null,
    refreshCsrfToken: async () => (await client.fetchQuery({ ...meQueryOptions(), staleTime: 0 }))?.csrfToken ?? null,
  });
  return client;
}

export function AppProviders({ children }: { children: ReactNode }) {
  const [client] = useState(() => connectApiToSession(createQueryClient()));
  return (
    <QueryClientProvider client={client}>
      <I18nProvider>
        <ToastProvider>{children}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
