import { createContext, useContext, type ReactNode } from 'react';
import type { Me, SessionUser } from '@vbp/contracts/auth';

const SessionContext = createContext<Me | null>(null);

/** Provided by the route guard once the session is known: everything under it may assume a user. */
export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <SessionContext.Provider value={me}>{children}</SessionContext.Provider>;
}

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession must be used under the route guard (<RequireAuth>)');
  return me;
}

export function useSessionUser(): SessionUser {
  return useSession().user;
}
