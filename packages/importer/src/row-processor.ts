/**
 * One data row to a typed row, an invalid row (with every problem it has), a losing bid, or a skipped row.
 *
 * Skipped: blank rows and rows with nothing in any matched column, a repeat of the header row, and
 * note/total rows (合计, 注：…, 填报人 …).
 * Merged cells continue into the rows below them (continuation.ts).
 */
import { UPLOAD_COLUMNS, type ColumnSpec, type UploadIssue, type UploadKind } from '@vbp/contracts/uploads';
import {
  cellToText,
  headerScale,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseInteger,
  parseMonth,
  parseRegionList,
  parseText,
  type CellOptions,
  type CellResult,
  type RawCell,
  type TextMode,
} from './cells';
import { splitGenericAndForm } from './dosage-forms';
import type { MatchedColumn } from './headers';
import { headerText } from './headers';
import { Continuation } from './continuation';
import { cellIssue, missingValueIssue, rowIssue } from './issues';
import type { ImportLimits } from './limits';
import { isEmptyCell, type RawRow } from './rows';
import { rulesFor, type CellValue, type KindRules, type RuleContext, type Values } from './rules';

const NAME_KEYS = new Set(['genericName', 'company', 'institutionName', 'category', 'dosageForm']);
const CODE_KEYS = new Set(['institutionCode', 'nhsaCode', 'batchCode']);
const NOTE_ROW = /^(合\s*计|总\s*计|小\s*计|注\s*[:：\d①-⑩]|备\s*注\s*[:：]|说\s*明\s*[:：]|填表说明|制表|审核人|填报人|填报单位|联系人|联系电话|单位负责人|数据来源)/u;

type Parser = (raw: RawCell) => CellResult<CellValue>;

/** Distinct joined names listed in a report (see RowProcessor.notices). */
const MAX_NOTICES = 200;

const KEPT = Object.freeze({ notSelected: false, failedTender: false });

interface Column {
  index: number;
  header: string;
  spec: ColumnSpec;
  parse: Parser;
}

export type RowOutcome = 'valid' | 'invalid' | 'skipped' | 'notSelected';

export interface RowSink {
  rows: { rowNumber: number; values: Values }[];
  notSelected: { rowNumber: number; values: Values }[];
  errors: UploadIssue[];
  warnings: UploadIssue[];
}

function textMode(key: string): TextMode {
  return NAME_KEYS.has(key) ? 'name' : CODE_KEYS.has(key) ? 'code' : 'plain';
}

/**
 * The functions called for every cell, bound once: vitest's module runner (where the throughput test and
 * the API's tests run) turns each call to an imported function into a getter call, about four times the
 * cost of a local call. Native ESM (tsx, node) is unaffected either way.
 */
const hot = { parseText, parseDecimal, parseInteger, parseDate, parseMonth, parseBoolean, parseRegionList, cellToText, isEmptyCell, splitGenericAndForm };

function parserFor(spec: ColumnSpec, options: CellOptions): Parser {
  switch (spec.type) {
    case 'text': {
      const mode = textMode(spec.key);
      const parse = hot.parseText;
      return (raw) => parse(raw, mode, options);
    }
    case 'decimal': {
      const parse = hot.parseDecimal;
      return (raw) => parse(raw, options);
    }
    case 'integer': {
      const parse = hot.parseInteger;
      return (raw) => parse(raw, options);
    }
    case 'date': {
      const parse = hot.parseDate;
      return (raw) => parse(raw, options);
    }
    case 'month': {
      const parse = hot.parseMonth;
      return (raw) => parse(raw, options);
    }
    case 'boolean': {
      const parse = hot.parseBoolean;
      return (raw) => parse(raw, options);
    }
    case 'regions': {
      const parse = hot.parseRegionList;
      return (raw) => parse(raw, options);
    }
  }
}

export class RowProcessor {
  private readonly specs: readonly ColumnSpec[];
  private readonly rules: KindRules;
  private columns: Column[] = [];
  private readonly indexOf = new Map<string, number>();
  private readonly headerOf = new Map<string, string>();
  private readonly continuation: Continuation;
  /** One context reused for every row (no closures allocated per row on the hot path). */
  private readonly context: RuleContext & { sink: RowSink };
  private readonly hasGeneric: boolean;
  private readonly requiredKept: readonly string[];
  private readonly emptyValues: Values;
  private readonly requiredNotSelected: readonly string[];
  private readonly requiredWithoutPrice: readonly string[];

  constructor(
    private readonly kind: UploadKind,
    matched: readonly MatchedColumn[],
    private readonly limits: ImportLimits,
  ) {
    this.specs = UPLOAD_COLUMNS[kind];
    this.rules = rulesFor(kind);
    for (const m of matched) {
      this.indexOf.set(m.key, m.index);
      this.headerOf.set(m.key, m.header);
    }
    this.hasGeneric = this.specs.some((s) => s.key === 'genericName');
    this.emptyValues = Object.fromEntries(this.specs.map((s) => [s.key, null]));
    const context = {
      rowNumber: 0,
      sink: { rows: [], notSelected: [], errors: [], warnings: [] } as RowSink,
      header: (key: string) => this.header(key),
      error: (issue: UploadIssue) => void context.sink.errors.push(issue),
      warn: (issue: UploadIssue) => void context.sink.warnings.push(issue),
    };
    this.context = context;
    this.requiredKept = [...this.specs.filter((s) => s.required).map((s) => s.key), ...(this.rules.requiredWhenKept ?? [])];
    this.requiredNotSelected = this.rules.requiredWhenNotSelected ?? [];
    this.requiredWithoutPrice = this.rules.requiredWithoutPrice ?? this.requiredKept;
    this.setDate1904(false);
    this.continuation = new Continuation(kind, this.indexOf);
  }

  /** Builds the cell parsers (XLSX only knows its date system once reading has begun). */
  setDate1904(date1904: boolean): void {
    const extra = this.rules.extraEmptyMarkers ?? {};
    this.columns = this.specs
      .filter((spec) => this.indexOf.has(spec.key))
      .map((spec) => {
        const markers = [...(spec.emptyMarkers ?? []), ...(extra[spec.key] ?? [])];
        const header = this.headerOf.get(spec.key)!;
        const options: CellOptions = {
          percent: spec.percent ?? false,
          date1904,
          ...(spec.type === 'decimal' ? { scale: headerScale(header, spec.percent ?? false) } : {}),
          ...(markers.length > 0 ? { emptyMarkers: markers } : {}),
        };
        return { index: this.indexOf.get(spec.key)!, header, spec, parse: parserFor(spec, options) };
      });
  }

  header(key: string): string {
    return this.headerOf.get(key) ?? this.specs.find((s) => s.key === key)?.labelZh ?? key;
  }

  /** Blank rows, and rows with nothing in any matched column (a template's pre-numbered 序号 rows). */
  private isUnused(cells: readonly RawCell[]): boolean {
    for (const c of this.columns) if (!hot.isEmptyCell(cells[c.index])) return false;
    return true;
  }

  /** Rows that repeat the header (several tables pasted one under another). */
  private isHeaderRepeat(cells: readonly RawCell[]): boolean {
    let same = 0;
    for (const c of this.columns) {
      const cell = cells[c.index];
      if (typeof cell !== 'string' || cell.length > c.header.length + 20) return false;
      const text = cell.trim();
      if (text.charCodeAt(0) !== c.header.charCodeAt(0)) return false;
      if (text === c.header || headerText(text) === c.header) same++;
      else return false;
    }
    return same > 0;
  }

  /** 合计 / 注： … rows: the first filled cell says so, and a required column is empty (data rows never skip). */
  private isNoteRow(cells: readonly RawCell[]): boolean {
    for (const cell of cells) {
      if (hot.isEmptyCell(cell)) continue;
      if (typeof cell !== 'string' || !NOTE_ROW.test(cell.trimStart())) return false;
      return this.requiredKept.some((key) => this.indexOf.has(key) && hot.isEmptyCell(cells[this.indexOf.get(key)!]));
    }
    return false;
  }

  process(row: RawRow, sink: RowSink): RowOutcome {
    const { rowNumber } = row;
    if (this.isUnused(row.cells) || this.isNoteRow(row.cells) || this.isHeaderRepeat(row.cells)) return 'skipped';
    const cells = this.continuation.apply(row.cells);
    const errorsBefore = sink.errors.length;
    if (row.cellCount !== undefined) {
      sink.errors.push(
        rowIssue(rowNumber, 'TOO_MANY_CELLS', `has ${row.cellCount} cells; at most ${this.limits.maxCellsPerRow} are read`, `有 ${row.cellCount} 个单元格，超过上限 ${this.limits.maxCellsPerRow}`),
      );
    }

    // A copy of an all-null row keeps one object shape per kind (fast property access downstream).
    const values: Values = { ...this.emptyValues };
    let markers: Record<string, string> | null = null;
    for (const column of this.columns) {
      const raw = cells[column.index];
      if (raw === undefined || raw === null || raw === '') continue;
      if (typeof raw === 'string' && raw.length > this.limits.maxCellChars) {
        sink.errors.push(
          cellIssue(rowNumber, column.header, raw, { code: 'CELL_TOO_LONG', en: `is longer than ${this.limits.maxCellChars} characters`, zh: `超过 ${this.limits.maxCellChars} 个字符` }),
        );
        continue;
      }
      const result = column.parse(raw);
      if ('value' in result) {
        values[column.spec.key] = result.value;
        if (result.joined !== undefined) this.noteJoined(rowNumber, column.header, hot.cellToText(raw), result.joined);
      }
      else if ('issue' in result) sink.errors.push(cellIssue(rowNumber, column.header, hot.cellToText(raw), result.issue));
      else if (result.marker !== undefined) (markers ??= {})[column.spec.key] = result.marker;
    }

    if (this.hasGeneric && typeof values.genericName === 'string') {
      const split = hot.splitGenericAndForm(values.genericName, typeof values.dosageForm === 'string' ? values.dosageForm : null);
      values.genericName = split.generic;
      values.dosageForm = split.form;
    }

    this.rules.normalize?.(values);
    const verdict = this.rules.isNotSelected?.(values, markers ?? {}, cells) ?? KEPT;
    const withoutPrice = !verdict.notSelected && this.rules.isWithoutPrice?.(values) === true;
    const required = verdict.notSelected ? this.requiredNotSelected : withoutPrice ? this.requiredWithoutPrice : this.requiredKept;
    for (const key of required) {
      if (values[key] !== null) continue;
      const wasBad = sink.errors.length > errorsBefore && sink.errors.some((e, i) => i >= errorsBefore && e.column === this.header(key));
      if (wasBad) continue;
      sink.errors.push(key === 'selectedPrice' ? this.missingPrice(rowNumber) : missingValueIssue(rowNumber, this.header(key)));
    }
    if (sink.errors.length > errorsBefore) return 'invalid';

    if (verdict.notSelected) {
      values.selected = false;
      values.failedTender = verdict.failedTender;
      sink.notSelected.push({ rowNumber, values });
      return 'notSelected';
    }
    if (this.kind === 'batch-results') values.selected = true;
    if (withoutPrice) {
      // a strength that follows its main strength's price: nothing of a price to check
      values.withoutPrice = true;
      sink.rows.push({ rowNumber, values });
      return 'valid';
    }
    if (this.rules.check) {
      this.context.rowNumber = rowNumber;
      this.context.sink = sink;
      this.rules.check(values, this.context);
    }
    if (sink.errors.length > errorsBefore) return 'invalid';
    sink.rows.push({ rowNumber, values });
    return 'valid';
  }

  private missingPrice(rowNumber: number): UploadIssue {
    const column = this.header('selectedPrice');
    return {
      row: rowNumber,
      column,
      value: null,
      code: 'SELECTED_PRICE_MISSING',
      message: `Row ${rowNumber}, column "${column}": no selected price. Write the price, or mark a losing bid with 否 in "是否中选" (or 未中选 / 流标 in the price column)`,
      messageZh: `第 ${rowNumber} 行“${column}”列没有中选价格：请填写价格；未中选的行请在“是否中选”列填“否”（或在价格列填“未中选”/“流标”）`,
    };
  }

  /**
   * Names read after joining text broken by whitespace (湖 北 → 湖北): each distinct cell once, with its row,
   * what it held and how it was read (at most MAX_NOTICES; `moreNotices` counts the rest).
   */
  readonly notices: UploadIssue[] = [];
  moreNotices = 0;
  private readonly noticed = new Set<string>();

  private noteJoined(rowNumber: number, column: string, original: string, readAs: string): void {
    const key = `${column}\u0000${original}`;
    if (this.noticed.has(key)) return;
    if (this.notices.length >= MAX_NOTICES) {
      this.moreNotices++;
      return;
    }
    this.noticed.add(key);
    this.notices.push(
      cellIssue(rowNumber, column, original, {
        code: 'NAME_JOINED',
        en: `was read as "${readAs}" (spaces or line breaks inside the name removed)`,
        zh: `按“${readAs}”读取（已去除名称中的空格或换行）`,
      }),
    );
  }

  /** Warnings that need the whole file (given once, after the last row). */
  finish(): UploadIssue[] {
    return this.rules.finish?.() ?? [];
  }
}
