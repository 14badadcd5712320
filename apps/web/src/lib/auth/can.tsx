import type { ReactNode } from 'react';
import type { Permission } from '@vbp/contracts/roles';
import { mayAct } from './permissions';
import { useSessionUser } from './session-context';

/** May the signed-in user do `permission` (for data owned by `region`, when given)? */
export function useCan(permission: Permission, region?: string | null): boolean {
  return mayAct(useSessionUser(), permission, region);
}

/**
 * Renders its children only for users who may: `<Can permission="write:targets" region="320000">`.
 * Hides, does not protect: the API refuses what the UI would have hidden.
 */
export function Can(props: { permission: Permission; region?: string | null; fallback?: ReactNode; children: ReactNode }) {
  const allowed = useCan(props.permission, props.region);
  return <>{allowed ? props.children : (props.fallback ?? null)}</>;
}
