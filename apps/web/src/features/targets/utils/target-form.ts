/**
 * The target form: its values (strings, as inputs hold them), conversion to the API's input, and the
 * checks. The contract's schema (CreateTargetInput) decides what the API accepts; the form asks for more,
 * because a target nobody can trace is worth little: the source document and clause are required, and an
 * assumed due date needs its reasoning.
 */
import { CreateTargetInput, type TargetView, type UpdateTargetInput } from '@vbp/contracts/api';
import type { ProductType, TargetScope, TargetUnit } from '@vbp/contracts/enums';
import { NATION_CODE } from '@vbp/contracts/enums';
import type { Lang } from '../../../lib/i18n/types';
import type { Dictionary } from '../../../lib/i18n/zh';
import { validateWith, type FieldErrors } from '../../../lib/validation';

export interface TargetFormValues {
  scope: TargetScope;
  productType: ProductType;
  unit: TargetUnit;
  count: string;
  dueOn: string;
  dueAssumed: boolean;
  dueNote: string;
  setOn: string;
  documentCode: string;
  clause: string;
  note: string;
}
export type TargetField = keyof TargetFormValues;

/** Field order on screen: the first invalid one gets the focus. */
export const TARGET_FIELDS: readonly TargetField[] = ['scope', 'productType', 'unit', 'count', 'dueOn', 'dueAssumed', 'dueNote', 'setOn', 'documentCode', 'clause', 'note'];

/** A new target for `region`: national users on 全国 set per-province requirements by default. */
export function emptyTargetForm(region: string): TargetFormValues {
  return {
    scope: region === NATION_CODE ? 'each_province' : 'region',
    productType: 'drug',
    unit: 'variety',
    count: '',
    dueOn: '',
    dueAssumed: false,
    dueNote: '',
    setOn: '',
    documentCode: '',
    clause: '',
    note: '',
  };
}

export function targetFormFromView(t: TargetView): TargetFormValues {
  return {
    scope: t.scope,
    productType: t.productType,
    unit: t.unit,
    count: String(t.count),
    dueOn: t.dueOn,
    dueAssumed: t.dueAssumed,
    dueNote: t.dueNote ?? '',
    setOn: t.setOn,
    documentCode: t.source.documentCode ?? '',
    clause: t.source.clause ?? '',
    note: t.note ?? '',
  };
}

const text = (v: string): string | null => (v.trim() === '' ? null : v.trim());

/** "550" → 550; "" → undefined (required); anything else → NaN, which the schema reports as not a whole number. */
function parseCount(v: string): number | undefined {
  const s = v.trim();
  if (s === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
}

/** What the form sends, before validation. */
export function targetFormToRaw(v: TargetFormValues, regionCode: string): Record<string, unknown> {
  return {
    regionCode,
    scope: v.scope,
    productType: v.productType,
    unit: v.productType === 'drug' ? 'variety' : v.unit,
    count: parseCount(v.count),
    dueOn: v.dueOn.trim() === '' ? undefined : v.dueOn.trim(),
    dueAssumed: v.dueAssumed,
    dueNote: v.dueAssumed ? text(v.dueNote) : null,
    setOn: v.setOn.trim() === '' ? undefined : v.setOn.trim(),
    documentCode: text(v.documentCode),
    clause: text(v.clause),
    note: text(v.note),
  };
}

export function validateTargetForm(
  v: TargetFormValues,
  regionCode: string,
  lang: Lang,
  t: Pick<Dictionary, 'validation' | 'targetEdit'>,
): { ok: true; input: CreateTargetInput } | { ok: false; errors: FieldErrors<TargetField> } {
  const checked = validateWith<CreateTargetInput, TargetField>(CreateTargetInput, targetFormToRaw(v, regionCode), lang, t.validation);
  const errors: FieldErrors<TargetField> = checked.ok ? {} : { ...checked.errors };
  // Required here even though the API would take null: a target must cite where it comes from.
  if (!errors.documentCode && !text(v.documentCode)) errors.documentCode = t.validation.required;
  if (!errors.clause && !text(v.clause)) errors.clause = t.validation.required;
  if (v.dueAssumed && !errors.dueNote && !text(v.dueNote)) errors.dueNote = t.validation.required;
  if (!errors.dueOn && !errors.setOn && v.dueOn && v.setOn && v.dueOn < v.setOn) errors.dueOn = t.targetEdit.dueBeforeSet;
  if (!checked.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: checked.data };
}

/** A change: everything the form edits except the region and scope, which a target keeps. */
export function toUpdateInput(input: CreateTargetInput): UpdateTargetInput {
  const { regionCode: _region, scope: _scope, ...rest } = input;
  return rest;
}
