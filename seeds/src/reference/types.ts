/** The reference data as read and checked from the files, keyed by natural keys (codes), before loading. */
import type {
  BatchLevel,
  DatePrecision,
  DrugClass,
  FigureComparator,
  ProductType,
  RegionKind,
  TargetScope,
  TargetUnit,
} from '@vbp/contracts/enums';

/** Where a planned row came from, for error messages. */
export interface Origin {
  file: string;
  row: number;
}

export interface RegionPlan {
  code: string;
  nameZh: string;
  shortNameZh: string;
  nameEn: string;
  kind: RegionKind;
  sortOrder: number;
}

export interface DocumentPlan {
  code: string;
  titleZh: string;
  titleEn: string | null;
  issuer: string;
  issuedOn: string | null;
  url: string | null;
  localFile: string | null;
  note: string | null;
}

export interface CategoryPlan {
  code: string;
  productType: ProductType;
  nameZh: string;
  nameEn: string | null;
  isPlaceholder: boolean;
  note: string | null;
}

export interface AlliancePlan {
  code: string;
  nameZh: string;
  nameEn: string | null;
  leadRegionCode: string | null;
  note: string | null;
}

export interface AllianceMemberPlan {
  allianceCode: string;
  regionCode: string;
  source: string;
}

/**
 * How a batch gets its varieties: `listed` (real varieties in varieties.csv), `placeholders` (stand-ins from
 * placeholders.csv while the list is not loaded), `renewal` (the same variety rows as the batch it renews),
 * `none` (the variety count is not published: nothing to link).
 */
export const VARIETY_POLICIES = ['listed', 'placeholders', 'renewal', 'none'] as const;
export type VarietyPolicy = (typeof VARIETY_POLICIES)[number];

export interface BatchPlan {
  code: string;
  level: BatchLevel;
  productType: ProductType;
  nameZh: string;
  nameEn: string | null;
  organizer: string;
  allianceCode: string | null;
  regionCode: string | null;
  announcedOn: string | null;
  announcedPrecision: DatePrecision | null;
  implementedOn: string | null;
  implementedPrecision: DatePrecision | null;
  /** As written (numeric column), e.g. '2'. */
  contractYears: string | null;
  renewalOf: string | null;
  publishedVarietyCount: number | null;
  publishedProductCount: number | null;
  /** Fraction as a decimal string ('0.52'). */
  publishedAvgCut: string | null;
  publishedCutNote: string | null;
  source: string;
  note: string | null;
  varietyPolicy: VarietyPolicy;
  origin: Origin;
}

export interface VarietyPlan {
  productType: ProductType;
  key: string;
  nameZh: string;
  nameEn: string | null;
  dosageFormGroup: string | null;
  drugClass: DrugClass | null;
  categoryCode: string | null;
  isPlaceholder: boolean;
  note: string | null;
}

export interface BatchVarietyPlan {
  batchCode: string;
  productType: ProductType;
  varietyKey: string;
}

export interface ImplementationPlan {
  batchCode: string;
  regionCode: string;
  startOn: string;
  startPrecision: DatePrecision;
  contractEndOn: string | null;
  estimated: boolean;
  source: string;
  note: string | null;
}

export interface TargetPlan {
  code: string;
  regionCode: string;
  scope: TargetScope;
  productType: ProductType;
  unit: TargetUnit;
  count: number;
  dueOn: string;
  dueAssumed: boolean;
  dueNote: string | null;
  setOn: string;
  documentCode: string;
  clause: string;
  note: string | null;
}

export interface FigurePlan {
  code: string;
  regionCode: string | null;
  batchCode: string | null;
  metric: string;
  productType: ProductType | null;
  comparator: FigureComparator;
  value: string;
  unit: string;
  asOf: string | null;
  documentCode: string | null;
  sourceUrl: string | null;
  clause: string | null;
  note: string | null;
}

/** The median lag from announcement to implementation, and the batches it was computed from. */
export interface AnnouncementLag {
  months: number;
  sample: { batchCode: string; months: number }[];
}

export interface ReferencePlan {
  regions: RegionPlan[];
  documents: DocumentPlan[];
  categories: CategoryPlan[];
  alliances: AlliancePlan[];
  allianceMembers: AllianceMemberPlan[];
  batches: BatchPlan[];
  /** Real varieties (varieties.csv). */
  varieties: VarietyPlan[];
  /** Links of real varieties, including a renewal's copies of the renewed batch's links. */
  batchVarieties: BatchVarietyPlan[];
  /** Placeholder varieties per batch code, in order (`D2#01` …). */
  placeholders: Map<string, VarietyPlan[]>;
  implementations: ImplementationPlan[];
  targets: TargetPlan[];
  figures: FigurePlan[];
  announcementLag: AnnouncementLag;
}
