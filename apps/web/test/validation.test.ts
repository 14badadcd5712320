import { describe, expect, it } from 'vitest';
import { CreateUserInput, UpdateUserInput, type UserView } from '@vbp/contracts/auth';
import { CreateTargetInput, type TargetView } from '@vbp/contracts/api';
import { ApiRequestError } from '../src/lib/api';
import { en } from '../src/lib/i18n/en';
import { zh } from '../src/lib/i18n/zh';
import { fieldErrorsFromApi, localizeBilingual, validateWith } from '../src/lib/validation';
import { emptyTargetForm, targetFormFromView, toUpdateInput, validateTargetForm, type TargetFormValues } from '../src/features/targets/utils/target-form';
import { targetLabel } from '../src/features/targets/utils/target-label';
import { validateNewUser, validateUserChange } from '../src/features/users/utils/user-form';

describe('messages from the contracts', () => {
  it('splits "english / 中文" messages', () => {
    expect(localizeBilingual('at least 10 characters / 密码至少10个字符', 'zh')).toBe('密码至少10个字符');
    expect(localizeBilingual('at least 10 characters / 密码至少10个字符', 'en')).toBe('at least 10 characters');
    expect(localizeBilingual('Too small: expected string to have >=1 characters', 'zh')).toBeNull();
  });

  it('gives each field its first problem, in the reader’s language', () => {
    const raw = { username: 'a b', displayName: '', role: 'office', regionCode: '32', password: 'short' };
    const zhResult = validateWith(CreateUserInput, raw, 'zh', zh.validation);
    expect(zhResult.ok).toBe(false);
    if (zhResult.ok) return;
    expect(zhResult.errors).toEqual({
      username: '用户名只能包含字母、数字和 . _ @ -',
      displayName: '必填',
      regionCode: '区划代码应为6位数字',
      password: '密码至少10个字符',
    });
    const enResult = validateWith(CreateUserInput, { ...raw, role: 'boss' }, 'en', en.validation);
    expect(enResult.ok).toBe(false);
    if (!enResult.ok) {
      expect(enResult.errors.role).toBe('Choose one');
      expect(enResult.errors.password).toBe('at least 10 characters');
    }
  });

  it('puts the API’s validation issues on the form’s fields', () => {
    const err = new ApiRequestError({
      status: 400,
      code: 'INVALID_INPUT',
      message: 'Invalid request parameters',
      messageZh: '请求参数无效',
      requestId: 'r',
      issues: [
        { path: 'count', message: 'Too big: expected number to be <=100000' },
        { path: 'json.regionCode', message: 'expected a 6-digit region code (GB/T 2260) / 区划代码应为6位数字' },
        { path: 'other', message: 'x' },
      ],
    });
    expect(fieldErrorsFromApi(err, ['count', 'regionCode'], 'zh')).toEqual({ count: 'Too big: expected number to be <=100000', regionCode: '区划代码应为6位数字' });
    expect(fieldErrorsFromApi(new Error('x'), ['count'], 'zh')).toEqual({});
  });
});

const filled: TargetFormValues = {
  ...emptyTargetForm('320000'),
  productType: 'consumable',
  unit: 'category',
  count: '30',
  setOn: '2024-10-28',
  dueOn: '2025-12-31',
  documentCode: 'JS-2024-10-28-notice',
  clause: '一(一)',
};

describe('target form', () => {
  it('turns a filled form into the API’s input', () => {
    const r = validateTargetForm(filled, '320000', 'zh', zh);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.input).toEqual({
      regionCode: '320000',
      scope: 'region',
      productType: 'consumable',
      unit: 'category',
      count: 30,
      dueOn: '2025-12-31',
      dueAssumed: false,
      dueNote: null,
      setOn: '2024-10-28',
      documentCode: 'JS-2024-10-28-notice',
      clause: '一(一)',
      note: null,
    });
    expect(CreateTargetInput.parse(r.input)).toEqual(r.input);
    expect(toUpdateInput(r.input)).not.toHaveProperty('regionCode');
    expect(toUpdateInput(r.input)).not.toHaveProperty('scope');
  });

  it('requires the source document and clause, and the reasoning of an assumed due date', () => {
    const r = validateTargetForm({ ...filled, documentCode: ' ', clause: '', dueAssumed: true, dueNote: '' }, '320000', 'zh', zh);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({ documentCode: '必填', clause: '必填', dueNote: '必填' });
  });

  it('reports counts, dates and order inline', () => {
    const r = validateTargetForm({ ...filled, count: '12.5', setOn: '', dueOn: '2025-02-30' }, '320000', 'en', en);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.count).toBe('Enter a whole number');
    expect(r.errors.setOn).toBe('Required');
    expect(r.errors.dueOn).toBe('expected a calendar date YYYY-MM-DD from 1990-01-01 to 2100-12-31');
    const order = validateTargetForm({ ...filled, setOn: '2026-01-01' }, '320000', 'zh', zh);
    expect(order.ok).toBe(false);
    if (!order.ok) expect(order.errors.dueOn).toBe('截止日期不能早于设定日期');
    const big = validateTargetForm({ ...filled, count: '100001' }, '320000', 'zh', zh);
    expect(big.ok ? null : big.errors.count).toBe('不能大于 100000');
    const none = validateTargetForm({ ...filled, count: '' }, '320000', 'zh', zh);
    expect(none.ok ? null : none.errors.count).toBe('必填');
  });

  it('counts drugs in varieties, and a national user on 全国 sets per-province targets by default', () => {
    const r = validateTargetForm({ ...filled, productType: 'drug', unit: 'category' }, '320000', 'zh', zh);
    expect(r.ok && r.input.unit).toBe('variety');
    expect(emptyTargetForm('100000').scope).toBe('each_province');
    expect(emptyTargetForm('320000').scope).toBe('region');
  });

  it('fills the form from a target and names it', () => {
    const view: TargetView = {
      id: 7,
      code: 'JS-1',
      ownerRegionCode: '320000',
      regionCode: '320000',
      scope: 'region',
      productType: 'drug',
      unit: 'variety',
      count: 550,
      dueOn: '2025-12-31',
      dueAssumed: true,
      dueNote: '按“十四五”期末推定',
      setOn: '2024-10-28',
      source: { documentCode: 'JS-2024-10-28-notice', titleZh: null, issuer: null, issuedOn: null, url: null, clause: '一(一)' },
      note: null,
      progress: null,
      expectedPath: [],
    };
    const v = targetFormFromView(view);
    expect(v).toMatchObject({ count: '550', dueAssumed: true, dueNote: '按“十四五”期末推定', documentCode: 'JS-2024-10-28-notice', clause: '一(一)', note: '' });
    expect(validateTargetForm(v, '320000', 'zh', zh).ok).toBe(true);
    expect(targetLabel(view, zh)).toBe('药品 ≥ 550个品种 · 2025-12-31');
  });
});

describe('user form', () => {
  const user: UserView = {
    id: 3,
    username: 'li.si',
    displayName: '李四',
    role: 'clerk',
    regionCode: '320000',
    disabled: false,
    mustChangePassword: false,
    createdAt: '2026-01-01T00:00:00Z',
    lastLoginAt: null,
  };

  it('checks a new user against CreateUserInput', () => {
    const ok = validateNewUser({ username: ' wang.wu ', displayName: '王五', role: 'office', regionCode: '320000', password: 'long enough pw' }, 'zh', zh.validation);
    expect(ok.ok && ok.input.username).toBe('wang.wu');
    const bad = validateNewUser({ username: 'w', displayName: '王五', role: 'office', regionCode: '', password: 'long enough pw' }, 'zh', zh.validation);
    expect(bad.ok ? null : bad.errors).toEqual({ username: '至少 2 个字符', regionCode: '必填' });
  });

  it('sends only what changed', () => {
    const same = validateUserChange(user, { username: 'li.si', displayName: '李四', role: 'clerk', regionCode: '320000', password: '' }, 'zh', zh.validation);
    expect(same.ok && same.input).toEqual({});
    const changed = validateUserChange(user, { username: 'li.si', displayName: '李四', role: 'office', regionCode: '110000', password: '' }, 'zh', zh.validation);
    expect(changed.ok && changed.input).toEqual({ role: 'office', regionCode: '110000' });
    expect(UpdateUserInput.safeParse(changed.ok ? changed.input : null).success).toBe(true);
    const blank = validateUserChange(user, { username: 'li.si', displayName: '  ', role: 'clerk', regionCode: '320000', password: '' }, 'zh', zh.validation);
    expect(blank.ok ? null : blank.errors.displayName).toBe('必填');
  });
});
