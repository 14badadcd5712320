/**
 * Reads and checks the reference files into a plan keyed by natural keys. Pure: no database, so every
 * rule can be tested on edited copies of the files. A bad row throws a {@link ReferenceDataError} that
 * names the file, the row, the column and the value.
 */
import {
  BATCH_LEVELS,
  DATE_PRECISIONS,
  DRUG_CLASSES,
  FIGURE_COMPARATORS,
  NATION_CODE,
  PRODUCT_TYPES,
  REGION_KINDS,
  TARGET_SCOPES,
  TARGET_UNITS,
  type ProductType,
} from '@vbp/contracts/enums';
import type { ReferenceFiles } from './files';
import {
  computeAnnouncementLag,
  IMPLEMENTATION_MODES,
  planImplementations,
  type ExplicitImplementation,
} from './implementation-rules';
import { readTable, ReferenceDataError, type Row } from './table';
import {
  VARIETY_POLICIES,
  type AllianceMemberPlan,
  type AlliancePlan,
  type BatchPlan,
  type BatchVarietyPlan,
  type CategoryPlan,
  type DocumentPlan,
  type FigurePlan,
  type ReferencePlan,
  type RegionPlan,
  type TargetPlan,
  type VarietyPlan,
} from './types';

const BATCH_COLUMNS = [
  'level',
  'organizer',
  'batch_code',
  'name_zh',
  'name_en',
  'product_type',
  'announced_on',
  'implemented_on',
  'contract_years',
  'varieties',
  'products',
  'avg_cut_pct',
  'source',
] as const;
const BATCH_EXTRA_COLUMNS = ['region_code', 'alliance_code', 'renewal_of', 'variety_policy', 'cut_note', 'note'] as const;

/** How placeholders.csv arrived at a count. `published`: the rows of a batch add up to its published count. */
const PLACEHOLDER_BASES = ['published', 'assumed', 'one_per_category'] as const;

/** A register of codes that refuses duplicates and unknown references, naming the row. */
class Codes<T> {
  private readonly items = new Map<string, T>();
  constructor(private readonly what: string) {}
  add(row: Row, column: string, code: string, item: T): void {
    if (this.items.has(code)) row.fail(column, `duplicate ${this.what}`, code);
    this.items.set(code, item);
  }
  get(code: string): T | undefined {
    return this.items.get(code);
  }
  /** The item for a code that must exist. */
  ref(row: Row, column: string, code: string): T {
    const item = this.items.get(code);
    if (item === undefined) row.fail(column, `unknown ${this.what}`, code);
    return item;
  }
  values(): T[] {
    return [...this.items.values()];
  }
}

/** '52' → '0.52', '50.77' → '0.5077': a percentage written in the files becomes an exact fraction. */
export function percentToFraction(pct: string): string {
  const [whole = '', frac = ''] = pct.split('.');
  const digits = `${whole}${frac}`.replace(/^0+(?=\d)/, '');
  const scale = frac.length + 2;
  const padded = digits.padStart(scale + 1, '0');
  return `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}

function isMachinePath(value: string): boolean {
  return /^(\/|[A-Za-z]:[\\/]|\\\\|~)/.test(value) || value.split(/[\\/]/).includes('..');
}

export function buildReferencePlan(files: ReferenceFiles): ReferencePlan {
  // regions
  const regions = new Codes<RegionPlan>('region code');
  for (const row of readTable('regions.csv', files['regions.csv'], ['code', 'name_zh', 'short_name_zh', 'name_en', 'kind', 'sort_order']).rows) {
    const code = row.text('code');
    if (!/^\d{6}$/.test(code)) row.fail('code', 'must be a 6-digit region code', code);
    const kind = row.oneOf('kind', REGION_KINDS);
    if ((code === NATION_CODE) !== (kind === 'nation')) row.fail('kind', `only ${NATION_CODE} is the nation`, kind);
    regions.add(row, 'code', code, {
      code,
      nameZh: row.text('name_zh'),
      shortNameZh: row.text('short_name_zh'),
      nameEn: row.text('name_en'),
      kind,
      sortOrder: row.integer('sort_order'),
    });
  }
  if (!regions.get(NATION_CODE)) {
    throw new ReferenceDataError('regions.csv', undefined, 'code', NATION_CODE, 'the nation row is missing');
  }
  const provincialRegion = (row: Row, column: string, code: string): string => {
    const region = regions.ref(row, column, code);
    if (region.kind === 'nation') row.fail(column, 'must be a province-level region, not the nation', code);
    return code;
  };

  // documents
  const documents = new Codes<DocumentPlan>('document code');
  for (const row of readTable('documents.csv', files['documents.csv'], ['code', 'title_zh', 'title_en', 'issuer', 'issued_on', 'url', 'local_file', 'note']).rows) {
    const localFile = row.optionalText('local_file');
    if (localFile && isMachinePath(localFile)) row.fail('local_file', 'must be a path relative to the shared reference folder', localFile);
    const url = row.optionalText('url');
    if (url && !/^https?:\/\//.test(url)) row.fail('url', 'must be an http(s) address', url);
    const code = row.text('code');
    documents.add(row, 'code', code, {
      code,
      titleZh: row.text('title_zh'),
      titleEn: row.optionalText('title_en'),
      issuer: row.text('issuer'),
      issuedOn: row.optionalDate('issued_on'),
      url,
      localFile,
      note: row.optionalText('note'),
    });
  }

  // categories
  const categories = new Codes<CategoryPlan>('category code');
  for (const row of readTable('categories.csv', files['categories.csv'], ['code', 'product_type', 'name_zh', 'name_en', 'is_placeholder', 'note']).rows) {
    const code = row.text('code');
    categories.add(row, 'code', code, {
      code,
      productType: row.oneOf('product_type', PRODUCT_TYPES),
      nameZh: row.text('name_zh'),
      nameEn: row.optionalText('name_en'),
      isPlaceholder: row.boolean('is_placeholder'),
      note: row.optionalText('note'),
    });
  }

  // alliances and their members
  const alliances = new Codes<AlliancePlan>('alliance code');
  for (const row of readTable('alliances.csv', files['alliances.csv'], ['code', 'name_zh', 'name_en', 'lead_region_code', 'note']).rows) {
    const code = row.text('code');
    const lead = row.optionalText('lead_region_code');
    alliances.add(row, 'code', code, {
      code,
      nameZh: row.text('name_zh'),
      nameEn: row.optionalText('name_en'),
      leadRegionCode: lead === null ? null : provincialRegion(row, 'lead_region_code', lead),
      note: row.optionalText('note'),
    });
  }
  const members = new Codes<AllianceMemberPlan>('alliance member');
  for (const row of readTable('alliance-members.csv', files['alliance-members.csv'], ['alliance_code', 'region_code', 'source']).rows) {
    const allianceCode = alliances.ref(row, 'alliance_code', row.text('alliance_code')).code;
    const regionCode = provincialRegion(row, 'region_code', row.text('region_code'));
    members.add(row, 'region_code', `${allianceCode}|${regionCode}`, { allianceCode, regionCode, source: row.text('source') });
  }

  // batches: the verbatim public CSV plus its annotations, and the batches it lacks
  const annotations = new Map<string, Row>();
  for (const row of readTable('batch-annotations.csv', files['batch-annotations.csv'], ['batch_code', ...BATCH_EXTRA_COLUMNS]).rows) {
    const code = row.text('batch_code');
    if (annotations.has(code)) row.fail('batch_code', 'duplicate batch code', code);
    annotations.set(code, row);
  }
  const batches = new Codes<BatchPlan>('batch code');
  const readBatch = (row: Row, extra: Row): BatchPlan => {
    const code = row.text('batch_code');
    const level = row.oneOf('level', BATCH_LEVELS);
    const announced = row.partialDate('announced_on');
    const implemented = row.partialDate('implemented_on');
    const contractYears = row.optionalDecimal('contract_years');
    if (contractYears !== null && (Number(contractYears) <= 0 || !Number.isInteger(Number(contractYears) * 12))) {
      row.fail('contract_years', 'must be a positive number of years in whole months', contractYears);
    }
    const cut = row.optionalDecimal('avg_cut_pct');
    if (cut !== null && (Number(cut) < 0 || Number(cut) > 100 || (cut.split('.')[1]?.length ?? 0) > 2)) {
      row.fail('avg_cut_pct', 'must be a percentage 0–100 with at most 2 decimals', cut);
    }
    const regionCode = extra.optionalText('region_code');
    const allianceCode = extra.optionalText('alliance_code');
    if (regionCode !== null) provincialRegion(extra, 'region_code', regionCode);
    if (allianceCode !== null) alliances.ref(extra, 'alliance_code', allianceCode);
    if (level === 'provincial' && regionCode === null) extra.fail('region_code', 'a provincial batch needs its province', '');
    if (level === 'alliance' && allianceCode === null) extra.fail('alliance_code', 'an alliance batch needs its alliance', '');
    if (level !== 'alliance' && allianceCode !== null) extra.fail('alliance_code', `a ${level} batch has no alliance`, allianceCode);
    const varietyPolicy = extra.oneOf('variety_policy', VARIETY_POLICIES);
    const renewalOf = extra.optionalText('renewal_of');
    if ((varietyPolicy === 'renewal') !== (renewalOf !== null)) {
      extra.fail('renewal_of', 'a batch has renewal_of exactly when its variety_policy is renewal', renewalOf ?? '');
    }
    return {
      code,
      level,
      productType: row.oneOf('product_type', PRODUCT_TYPES),
      nameZh: row.text('name_zh'),
      nameEn: row.optionalText('name_en'),
      organizer: row.text('organizer'),
      allianceCode,
      regionCode,
      announcedOn: announced?.on ?? null,
      announcedPrecision: announced?.precision ?? null,
      implementedOn: implemented?.on ?? null,
      implementedPrecision: implemented?.precision ?? null,
      contractYears,
      renewalOf,
      publishedVarietyCount: row.optionalInteger('varieties', 1),
      publishedProductCount: row.optionalInteger('products', 1),
      publishedAvgCut: cut === null ? null : percentToFraction(cut),
      publishedCutNote: extra.optionalText('cut_note'),
      source: row.text('source'),
      note: extra.optionalText('note'),
      varietyPolicy,
      origin: { file: row.file, row: row.row },
    };
  };
  for (const row of readTable('vbp_batches.csv', files['vbp_batches.csv'], BATCH_COLUMNS).rows) {
    const code = row.text('batch_code');
    const extra = annotations.get(code);
    if (!extra) throw new ReferenceDataError(row.file, row.row, 'batch_code', code, 'has no row in batch-annotations.csv');
    batches.add(row, 'batch_code', code, readBatch(row, extra));
  }
  for (const [code, row] of annotations) {
    if (!batches.get(code)) row.fail('batch_code', 'annotates a batch that vbp_batches.csv does not hold', code);
  }
  for (const row of readTable('batches-extra.csv', files['batches-extra.csv'], [...BATCH_COLUMNS, ...BATCH_EXTRA_COLUMNS]).rows) {
    batches.add(row, 'batch_code', row.text('batch_code'), readBatch(row, row));
  }
  for (const batch of batches.values()) {
    if (!batch.renewalOf) continue;
    const renewed = batches.get(batch.renewalOf);
    const fail = (problem: string): never => {
      throw new ReferenceDataError('batch-annotations.csv / batches-extra.csv', undefined, 'renewal_of', batch.renewalOf!, `${batch.code}: ${problem}`);
    };
    if (!renewed) fail('unknown batch');
    if (renewed!.productType !== batch.productType) fail('renews a batch of another product type');
    if (renewed!.varietyPolicy === 'renewal') fail('renews a renewal: point at the original batch');
  }

  // real varieties and their links
  const varieties = new Codes<VarietyPlan>('variety key');
  const batchVarieties: BatchVarietyPlan[] = [];
  const checkCategory = (row: Row, productType: ProductType, code: string | null): string | null => {
    if (productType === 'drug') {
      if (code !== null) row.fail('category_code', 'drugs are classed by drug_class, not by category', code);
      return null;
    }
    if (code === null) row.fail('category_code', 'a consumable needs its category', '');
    const category = categories.ref(row, 'category_code', code);
    if (category.productType !== productType) row.fail('category_code', `a ${category.productType} category`, code);
    return code;
  };
  for (const row of readTable('varieties.csv', files['varieties.csv'], [
    'product_type',
    'key',
    'name_zh',
    'name_en',
    'dosage_form_group',
    'drug_class',
    'category_code',
    'listed_as',
    'batch_codes',
    'source',
    'note',
  ]).rows) {
    const productType = row.oneOf('product_type', PRODUCT_TYPES);
    const key = row.text('key');
    if (key.includes('#')) row.fail('key', '# is reserved for placeholder keys', key);
    const nameZh = row.text('name_zh');
    const dosageFormGroup = row.optionalText('dosage_form_group');
    if (productType === 'drug') {
      if (dosageFormGroup === null) row.fail('dosage_form_group', 'a drug variety needs its dosage-form group', '');
      if (key !== `${nameZh}|${dosageFormGroup}`) row.fail('key', `a drug key is <name_zh>|<dosage_form_group> (${nameZh}|${dosageFormGroup})`, key);
    } else if (dosageFormGroup !== null) {
      row.fail('dosage_form_group', 'consumables have no dosage form', dosageFormGroup);
    }
    const drugClass = row.optionalOneOf('drug_class', DRUG_CLASSES);
    if (productType === 'consumable' && drugClass !== null) row.fail('drug_class', 'consumables have no drug class', drugClass);
    const listedAs = row.optionalText('listed_as');
    const note = [listedAs ? `集采结果所列名称：${listedAs}。` : null, row.optionalText('note'), `来源：${row.text('source')}。`]
      .filter(Boolean)
      .join('');
    varieties.add(row, 'key', `${productType}|${key}`, {
      productType,
      key,
      nameZh,
      nameEn: row.optionalText('name_en'),
      dosageFormGroup,
      drugClass,
      categoryCode: checkCategory(row, productType, row.optionalText('category_code')),
      isPlaceholder: false,
      note,
    });
    const codes = row.list('batch_codes');
    if (codes.length === 0) row.fail('batch_codes', 'a variety belongs to at least one batch', '');
    for (const batchCode of codes) {
      const batch = batches.ref(row, 'batch_codes', batchCode);
      if (batch.productType !== productType) row.fail('batch_codes', `${batchCode} is a ${batch.productType} batch`, batchCode);
      if (batch.varietyPolicy !== 'listed') row.fail('batch_codes', `${batchCode} has variety_policy ${batch.varietyPolicy}, not listed`, batchCode);
      batchVarieties.push({ batchCode, productType, varietyKey: key });
    }
  }
  for (const batch of batches.values()) {
    if (batch.varietyPolicy === 'listed' && !batchVarieties.some((l) => l.batchCode === batch.code)) {
      throw new ReferenceDataError(batch.origin.file, batch.origin.row, 'batch_code', batch.code, 'variety_policy is listed but varieties.csv lists no variety for it');
    }
  }
  // a renewal links the same variety rows as the batch it renews
  for (const batch of batches.values()) {
    if (batch.varietyPolicy !== 'renewal') continue;
    for (const link of batchVarieties.filter((l) => l.batchCode === batch.renewalOf)) {
      batchVarieties.push({ ...link, batchCode: batch.code });
    }
  }

  // placeholders
  const segments = new Map<string, { row: Row; count: number; basis: string; drugClass: VarietyPlan['drugClass']; categoryCode: string | null; note: string | null }[]>();
  for (const row of readTable('placeholders.csv', files['placeholders.csv'], ['batch_code', 'count', 'basis', 'drug_class', 'category_code', 'note']).rows) {
    const batch = batches.ref(row, 'batch_code', row.text('batch_code'));
    if (batch.varietyPolicy !== 'placeholders') row.fail('batch_code', `batch has variety_policy ${batch.varietyPolicy}, not placeholders`, batch.code);
    const drugClass = row.optionalOneOf('drug_class', DRUG_CLASSES);
    if (batch.productType === 'consumable' && drugClass !== null) row.fail('drug_class', 'consumables have no drug class', drugClass);
    segments.set(batch.code, [
      ...(segments.get(batch.code) ?? []),
      {
        row,
        count: row.integer('count', 1),
        basis: row.oneOf('basis', PLACEHOLDER_BASES),
        drugClass,
        categoryCode: checkCategory(row, batch.productType, row.optionalText('category_code')),
        note: row.optionalText('note'),
      },
    ]);
  }
  const placeholders = new Map<string, VarietyPlan[]>();
  for (const batch of batches.values()) {
    const parts = segments.get(batch.code);
    if (batch.varietyPolicy !== 'placeholders') continue;
    if (!parts) {
      throw new ReferenceDataError(batch.origin.file, batch.origin.row, 'batch_code', batch.code, 'variety_policy is placeholders but placeholders.csv has no row for it');
    }
    const total = parts.reduce((n, p) => n + p.count, 0);
    const published = parts.filter((p) => p.basis === 'published');
    if (published.length && (published.length !== parts.length || total !== batch.publishedVarietyCount)) {
      const first = parts[0]!;
      first.row.fail('count', `rows with basis published must add up to the batch's published variety count (${batch.publishedVarietyCount ?? 'none'}); they add up to ${total}`, String(first.count));
    }
    const width = Math.max(2, String(total).length);
    const list: VarietyPlan[] = [];
    for (const part of parts) {
      for (let i = 0; i < part.count; i++) {
        const nn = String(list.length + 1).padStart(width, '0');
        list.push({
          productType: batch.productType,
          key: `${batch.code}#${nn}`,
          nameZh: `${batch.nameZh} 品种${nn}（名单未载入）`,
          nameEn: `${batch.nameEn ?? batch.code}: variety ${nn} (list not loaded)`,
          dosageFormGroup: null,
          drugClass: part.drugClass,
          categoryCode: part.categoryCode,
          isPlaceholder: true,
          note: [`占位品种：${batch.code}的中选名单未载入，上传实际中选结果后即被替换。`, part.note].filter(Boolean).join(''),
        });
      }
    }
    placeholders.set(batch.code, list);
  }

  // implementations
  const explicit: ExplicitImplementation[] = [];
  for (const row of readTable('implementations.csv', files['implementations.csv'], ['batch_code', 'region_codes', 'mode', 'start_on', 'start_precision', 'estimated', 'note']).rows) {
    const batch = batches.ref(row, 'batch_code', row.text('batch_code'));
    const regionCodes = row.list('region_codes');
    if (regionCodes.length === 0) row.fail('region_codes', 'at least one region', '');
    for (const code of regionCodes) provincialRegion(row, 'region_codes', code);
    const startOn = row.optionalDate('start_on');
    const precision = row.optionalOneOf('start_precision', DATE_PRECISIONS);
    const estimated = row.optionalBoolean('estimated');
    if ((startOn === null) !== (precision === null) || (startOn === null) !== (estimated === null)) {
      row.fail('start_on', 'give start_on, start_precision and estimated together, or none of them (start by rule)', startOn ?? '');
    }
    explicit.push({
      batchCode: batch.code,
      regionCodes,
      mode: row.oneOf('mode', IMPLEMENTATION_MODES),
      start: startOn === null ? null : { on: startOn, precision: precision!, estimated: estimated! },
      note: row.optionalText('note'),
      row,
    });
  }
  const batchList = batches.values();
  const announcementLag = computeAnnouncementLag(batchList);
  const implementations = planImplementations(batchList, explicit, regions.values(), announcementLag);

  // targets
  const targets = new Codes<TargetPlan>('target code');
  for (const row of readTable('targets.csv', files['targets.csv'], [
    'code',
    'region_code',
    'scope',
    'product_type',
    'unit',
    'count',
    'due_on',
    'due_assumed',
    'due_note',
    'set_on',
    'document_code',
    'clause',
    'note',
  ]).rows) {
    const code = row.text('code');
    const regionCode = regions.ref(row, 'region_code', row.text('region_code')).code;
    const scope = row.oneOf('scope', TARGET_SCOPES);
    if (scope === 'each_province' && regionCode !== NATION_CODE) row.fail('scope', `each_province targets are stored on the nation (${NATION_CODE})`, scope);
    if (scope === 'region' && regionCode === NATION_CODE) row.fail('scope', 'a target on the nation is evaluated for each province: scope each_province', scope);
    const productType = row.oneOf('product_type', PRODUCT_TYPES);
    const unit = row.oneOf('unit', TARGET_UNITS);
    if (unit === 'category' && productType !== 'consumable') row.fail('unit', 'only consumables are counted in categories', unit);
    const dueAssumed = row.boolean('due_assumed');
    const dueNote = row.optionalText('due_note');
    if (dueAssumed && dueNote === null) row.fail('due_note', 'an assumed due date needs its reason', '');
    const dueOn = row.date('due_on');
    const setOn = row.date('set_on');
    if (setOn > dueOn) row.fail('set_on', `set after it is due (${dueOn})`, setOn);
    targets.add(row, 'code', code, {
      code,
      regionCode,
      scope,
      productType,
      unit,
      count: row.integer('count', 1),
      dueOn,
      dueAssumed,
      dueNote,
      setOn,
      documentCode: documents.ref(row, 'document_code', row.text('document_code')).code,
      clause: row.text('clause'),
      note: row.optionalText('note'),
    });
  }

  // published figures
  const figures = new Codes<FigurePlan>('figure code');
  for (const row of readTable('published-figures.csv', files['published-figures.csv'], [
    'code',
    'region_code',
    'batch_code',
    'metric',
    'product_type',
    'comparator',
    'value',
    'unit',
    'as_of',
    'document_code',
    'source_url',
    'clause',
    'note',
  ]).rows) {
    const code = row.text('code');
    const regionCode = row.optionalText('region_code');
    if (regionCode !== null) regions.ref(row, 'region_code', regionCode);
    const batchCode = row.optionalText('batch_code');
    if (batchCode !== null) batches.ref(row, 'batch_code', batchCode);
    const documentCode = row.optionalText('document_code');
    if (documentCode !== null) documents.ref(row, 'document_code', documentCode);
    const sourceUrl = row.optionalText('source_url');
    if (sourceUrl !== null && !/^https?:\/\//.test(sourceUrl)) row.fail('source_url', 'must be an http(s) address', sourceUrl);
    if (documentCode === null && sourceUrl === null) row.fail('document_code', 'a figure needs a document or a source_url', '');
    const unit = row.text('unit');
    const value = row.decimal('value');
    if (unit === 'fraction' && (Number(value) < 0 || Number(value) > 1)) row.fail('value', 'a fraction lies between 0 and 1 (0.5 = 50%)', value);
    figures.add(row, 'code', code, {
      code,
      regionCode,
      batchCode,
      metric: row.text('metric'),
      productType: row.optionalOneOf('product_type', PRODUCT_TYPES),
      comparator: row.oneOf('comparator', FIGURE_COMPARATORS),
      value,
      unit,
      asOf: row.optionalDate('as_of'),
      documentCode,
      sourceUrl,
      clause: row.optionalText('clause'),
      note: row.optionalText('note'),
    });
  }

  return {
    regions: regions.values(),
    documents: documents.values(),
    categories: categories.values(),
    alliances: alliances.values(),
    allianceMembers: members.values(),
    batches: batchList,
    varieties: varieties.values(),
    batchVarieties,
    placeholders,
    implementations,
    targets: targets.values(),
    figures: figures.values(),
    announcementLag,
  };
}
