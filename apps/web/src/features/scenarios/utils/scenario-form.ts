/**
 * The scenario form's values (text as typed) and their way to the API's input: a batch's variety list is
 * pasted one name per line; or a count with the share expected to be covered already. Checked with the
 * contract's own schema, messages in the reader's language.
 */
import type { ProductType } from '@vbp/contracts/enums';
import { CreateScenarioInput, type PlannedBatchInput, type PlannedBatchLevel, type ScenarioView } from '@vbp/contracts/scenarios';
import { localizeBilingual } from '../../../lib/validation';
import type { Lang } from '../../../lib/i18n/types';

export interface BatchDraft {
  name: string;
  level: PlannedBatchLevel;
  productType: ProductType;
  announcementDate: string;
  implementationDate: string;
  mode: 'list' | 'count';
  /** One variety name per line. */
  varietiesText: string;
  varietyCount: string;
  /** A fraction as typed ('0.3'); empty = 0. */
  coveredShare: string;
}

export interface ScenarioDraft {
  name: string;
  note: string;
  batches: BatchDraft[];
}

export function emptyBatch(): BatchDraft {
  return { name: '', level: 'provincial', productType: 'drug', announcementDate: '', implementationDate: '', mode: 'list', varietiesText: '', varietyCount: '', coveredShare: '' };
}

export function emptyScenario(): ScenarioDraft {
  return { name: '', note: '', batches: [emptyBatch()] };
}

/** Names pasted one per line (a spreadsheet column): trimmed, blank lines dropped. */
export function parseVarietyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function draftFromView(view: ScenarioView): ScenarioDraft {
  return {
    name: view.name,
    note: view.note ?? '',
    batches: view.batches.map((b) => ({
      name: b.name,
      level: b.level,
      productType: b.productType,
      announcementDate: b.announcementDate ?? '',
      implementationDate: b.implementationDate,
      mode: b.varieties === null ? 'count' : 'list',
      varietiesText: (b.varieties ?? []).join('\n'),
      varietyCount: b.varietyCount === null ? '' : String(b.varietyCount),
      // '0.300' → '0.3'
      coveredShare: b.coveredShare === null ? '' : String(Number(b.coveredShare)),
    })),
  };
}

function batchInput(b: BatchDraft): Record<keyof PlannedBatchInput, unknown> {
  const count = b.varietyCount.trim();
  return {
    name: b.name,
    level: b.level,
    productType: b.productType,
    announcementDate: b.announcementDate || null,
    implementationDate: b.implementationDate,
    varieties: b.mode === 'list' ? parseVarietyLines(b.varietiesText) : null,
    varietyCount: b.mode === 'count' ? (count === '' ? null : /^\d+$/.test(count) ? Number(count) : Number.NaN) : null,
    coveredShare: b.mode === 'count' && b.coveredShare.trim() !== '' ? b.coveredShare.trim() : null,
  };
}

export interface DraftIssue {
  /** 'name', 'batches.0.varieties', … as the API names them. */
  path: string;
  message: string;
}

/** The draft as the API's input, or every issue with its place, in `lang`. */
export function validateScenarioDraft(draft: ScenarioDraft, regionCode: string, lang: Lang, fallback: string): { ok: true; input: CreateScenarioInput } | { ok: false; issues: DraftIssue[] } {
  const parsed = CreateScenarioInput.safeParse({ name: draft.name, regionCode, note: draft.note.trim() || null, batches: draft.batches.map(batchInput) });
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: localizeBilingual(i.message, lang) ?? fallback })) };
}

/** Issues of one field of the draft (a batch's by index). */
export function issueAt(issues: readonly DraftIssue[], path: string): string | undefined {
  return issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message;
}
