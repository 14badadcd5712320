import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { z } from 'zod';
import { ApiError } from '@vbp/contracts/api';
import type { AppEnv } from './env';
import { validationError } from './errors';
import { isAction } from '@vbp/contracts/policy';
import { authorize, permissionOf, type RoutePermission } from './auth/middleware';

/** A sub-app whose request validation failures use the API's one error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationError(c, result.error, result.target === 'query' ? c.req.query() : c.req.param());
    },
  });
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } } as const;
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** The error responses every route can answer. */
export const errorResponses = {
  400: jsonContent(ApiError, 'Invalid parameters / 参数无效'),
  404: jsonContent(ApiError, 'Not found / 未找到'),
  500: jsonContent(ApiError, 'Server error / 服务器错误'),
  503: jsonContent(ApiError, 'Unavailable for now (shutting down, database unreachable): see Retry-After / 暂不可用'),
} as const;

/** Routes that write files or many rows: a full disk is said, not crashed on. */
export const storageResponses = {
  507: jsonContent(ApiError, 'The disk is full: nothing was written / 磁盘空间不足，未写入任何数据'),
} as const;

/**
 * A route that declares what it needs (a policy action, or a read permission): checked by `authorize` before
 * the handler, and published in the OpenAPI document as `x-permission` and `x-action` (the role-matrix and
 * permission tests walk every operation and fail on one without them).
 */
export function secureRoute<const R extends Omit<RouteConfig, 'middleware'>>(access: RoutePermission, route: R) {
  const permission = permissionOf(access);
  return createRoute({
    ...route,
    middleware: [authorize(access)] as const,
    'x-permission': permission,
    // the policy action, where the route acts on a province's data (the permission tests derive their answers from it)
    ...(isAction(access) ? { 'x-action': access } : {}),
    ...(permission === 'public' ? {} : { security: [{ session: [] }] }),
    responses: {
      ...(permission === 'public' ? {} : { 401: jsonContent(ApiError, 'Not signed in / 未登录'), 403: jsonContent(ApiError, 'Not allowed / 无权限') }),
      ...route.responses,
    },
  });
}
