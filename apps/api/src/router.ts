import { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';
import { ApiError } from '@vbp/contracts/api';
import type { AppEnv } from './env';
import { validationError } from './errors';

/** A sub-app whose request validation failures use the API's one error shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationError(c, result.error, result.target === 'query' ? c.req.query() : c.req.param());
    },
  });
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** The error responses every route can answer. */
export const errorResponses = {
  400: jsonContent(ApiError, 'Invalid parameters / 参数无效'),
  404: jsonContent(ApiError, 'Not found / 未找到'),
  500: jsonContent(ApiError, 'Server error / 服务器错误'),
} as const;
