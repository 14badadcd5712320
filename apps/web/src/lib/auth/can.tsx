import type { ReactNode } from 'react';
import type { Action } from '@vbp/contracts/policy';
import { mayAct } from './permissions';
import { useSessionUser } from './session-context';

/** May the signed-in user do `action` (to data of `region`, when given: 全国 / null is national data)? */
export function useCan(action: Action, region?: string | null): boolean {
  return mayAct(useSessionUser(), action, region);
}

/**
 * Renders its children only for users who may: `<Can action="write:target" region="320000">`.
 * Hides, does not protect: the API refuses what the UI would have hidden.
 */
export function Can(props: { action: Action; region?: string | null; fallback?: ReactNode; children: ReactNode }) {
  const allowed = useCan(props.action, props.region);
  return <>{allowed ? props.children : (props.fallback ?? null)}</>;
}
