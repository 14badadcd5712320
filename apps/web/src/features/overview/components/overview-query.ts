import type { UseQueryResult } from '@tanstack/react-query';
import type { Overview } from '@vbp/contracts/api';

/** The overview query as the panels read it (one request feeds every panel on the page). */
export type OverviewQuery = Pick<UseQueryResult<Overview>, 'data' | 'error' | 'isError' | 'refetch'>;
