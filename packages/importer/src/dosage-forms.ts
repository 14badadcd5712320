/**
 * Dosage-form groups (剂型) as VBP result tables write them, and the split of a cell that holds the generic
 * name and the form together ("阿托伐他汀钙片口服常释剂型" → 阿托伐他汀钙片 + 口服常释剂型).
 */

/**
 * Group names that are never the ending of a generic name: split off wherever they end the text.
 * Longest first, so 缓释控释剂型 wins over 控释剂型.
 */
const GROUP_FORMS: readonly string[] = [
  '口服常释剂型', '缓释控释剂型', '缓控释剂型', '缓释剂型', '控释剂型', '肠溶剂型', '口服液体剂', '口服溶液剂',
  '口服混悬剂', '口服散剂', '注射剂', '吸入剂', '吸入制剂', '颗粒剂', '滴眼剂', '外用液体剂',
  '外用制剂', '鼻用制剂', '眼用制剂',
].sort((a, b) => b.length - a.length);

/**
 * Forms that also end real generic names (芬太尼透皮贴剂, 噻托溴铵吸入粉雾剂): split off only when what is
 * left still ends like a drug name (芬太尼透皮贴剂贴剂 → 芬太尼透皮贴剂 + 贴剂).
 */
const NAME_LIKE_FORMS: readonly string[] = [
  '眼用凝胶剂', '干混悬剂', '粉雾剂', '气雾剂', '喷雾剂', '滴耳剂', '滴鼻剂', '乳膏剂', '软膏剂', '凝胶剂', '贴剂', '栓剂', '丸剂', '散剂',
].sort((a, b) => b.length - a.length);

export const DOSAGE_FORMS: readonly string[] = [...GROUP_FORMS, ...NAME_LIKE_FORMS];

const DRUG_NAME_ENDING = /[剂片液膏丸囊粒散栓贴胶雾]$/u;
const TRAILING_BRACKETED = /^(.*?)\s*[(（]([^()（）]+)[)）]$/u;
const JOINERS = /[\s\-—_/／:：·]+$/u;

function nameBefore(text: string, form: string): string | null {
  if (!text.endsWith(form)) return null;
  const generic = text.slice(0, -form.length).replace(JOINERS, '').trim();
  return [...generic].length >= 2 ? generic : null;
}

/**
 * Splits "通用名+剂型" written in one cell. The form must be a known group at the end of the text
 * (optionally in brackets or after a separator) and leave at least two characters of name; otherwise the
 * text is returned whole as the generic name. `knownForm` (the row's 剂型 cell) is stripped when the name
 * ends with it, whatever it is.
 */
export function splitGenericAndForm(text: string, knownForm?: string | null): { generic: string; form: string | null } {
  const trimmed = text.trim();
  if (knownForm) {
    for (const suffix of [`（${knownForm}）`, `(${knownForm})`, knownForm]) {
      const generic = nameBefore(trimmed, suffix);
      if (generic) return { generic, form: knownForm };
    }
    return { generic: trimmed, form: knownForm };
  }
  const bracketed = TRAILING_BRACKETED.exec(trimmed);
  if (bracketed && DOSAGE_FORMS.includes(bracketed[2]!.trim()) && [...bracketed[1]!.trim()].length >= 2) {
    return { generic: bracketed[1]!.trim(), form: bracketed[2]!.trim() };
  }
  for (const form of GROUP_FORMS) {
    const generic = nameBefore(trimmed, form);
    if (generic) return { generic, form };
  }
  for (const form of NAME_LIKE_FORMS) {
    const generic = nameBefore(trimmed, form);
    if (generic && DRUG_NAME_ENDING.test(generic)) return { generic, form };
  }
  return { generic: trimmed, form: null };
}
