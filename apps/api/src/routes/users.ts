import { z } from '@hono/zod-openapi';
import { CreateUserInput, ResetPasswordInput, UpdateUserInput, UserList, UserListQuery, UserView } from '@vbp/contracts/auth';
import { CoercedId } from '@vbp/contracts/inputs';
import { createUser, listUsers, resetPassword, updateUser } from '@vbp/core/users';
import { actorOf } from '../auth/middleware';
import { createRouter, errorResponses, jsonBody, jsonContent, secureRoute } from '../router';

const IdParam = z.object({ id: CoercedId });

const list = secureRoute('manage:user', {
  method: 'get',
  path: '/users',
  tags: ['users'],
  summary: 'Accounts / 用户列表',
  request: { query: UserListQuery },
  responses: { 200: jsonContent(UserList, 'A page of users'), ...errorResponses },
});

const create = secureRoute('manage:user', {
  method: 'post',
  path: '/users',
  tags: ['users'],
  summary: 'Create an account / 新建用户',
  description: 'The new user must change the password at first sign-in.',
  request: jsonBody(CreateUserInput),
  responses: { 201: jsonContent(UserView, 'Created'), 409: jsonContent(z.any(), 'Username taken / 用户名已存在'), ...errorResponses },
});

const update = secureRoute('manage:user', {
  method: 'patch',
  path: '/users/{id}',
  tags: ['users'],
  summary: 'Change role, region, name, or disable / 修改用户',
  description: 'A changed role or region, or a disabled account, ends the user’s sessions.',
  request: { params: IdParam, ...jsonBody(UpdateUserInput) },
  responses: { 200: jsonContent(UserView, 'Changed'), ...errorResponses },
});

const reset = secureRoute('manage:user', {
  method: 'post',
  path: '/users/{id}/reset-password',
  tags: ['users'],
  summary: 'Reset a password / 重置密码',
  description: 'The user must change it at next sign-in; their sessions end.',
  request: { params: IdParam, ...jsonBody(ResetPasswordInput) },
  responses: { 204: { description: 'Reset' }, ...errorResponses },
});

export const userRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listUsers(c.get('db'), actorOf(c), c.req.valid('query')), 200))
  .openapi(create, async (c) => c.json(await createUser(c.get('db'), actorOf(c), c.req.valid('json')), 201))
  .openapi(update, async (c) => c.json(await updateUser(c.get('db'), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200))
  .openapi(reset, async (c) => {
    await resetPassword(c.get('db'), actorOf(c), c.req.valid('param').id, c.req.valid('json').newPassword);
    return c.body(null, 204);
  });
