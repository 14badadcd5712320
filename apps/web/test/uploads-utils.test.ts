import { describe, expect, it } from 'vitest';
import { UPLOAD_COLUMNS, UPLOAD_STATUSES, type UploadIssue, type UploadView } from '@vbp/contracts/uploads';
import { ApiRequestError } from '../src/lib/api';
import { mayHaveChangedUpload } from '../src/features/uploads/api/upload-mutations';
import { uploadsEn } from '../src/features/uploads/i18n/en';
import { uploadsZh } from '../src/features/uploads/i18n/zh';
import { issueMessage, issueTotal, pageOfIssues, sortIssues } from '../src/features/uploads/utils/issues';
import {
  addHeader,
  canSubmitMapping,
  duplicateColumns,
  IGNORE,
  isMappingChanged,
  mappingRows,
  missingRequired,
  rowsToMapping,
  setRowKey,
} from '../src/features/uploads/utils/mapping';
import { formatBytes, formatRowProgress, formatTransfer, phaseLabel, progressFraction } from '../src/features/uploads/utils/progress';
import { hasUploadFilters, parseUploadFilters, uploadFiltersToParams } from '../src/features/uploads/utils/upload-filters';
import { batchNeed, draftProblems, fileProblem, MAX_UPLOAD_BYTES, regionNeeded, templateUrl, uploadFields, uploadFormData, type UploadDraft } from '../src/features/uploads/utils/upload-form';
import {
  canCommit,
  canReprocess,
  commitBlock,
  hasCounts,
  isInProgress,
  isRevertible,
  needsRevalidation,
  pollInterval,
  POLL_MS,
  reasonLook,
  reasonMessage,
  showsComparison,
  STATUS_LOOK,
  uploadDataRegion,
} from '../src/features/uploads/utils/upload-status';

describe('progress formatting', () => {
  it('is a fraction in [0, 1], or null without a total', () => {
    expect(progressFraction(50, 200)).toBe(0.25);
    expect(progressFraction(250, 200)).toBe(1);
    expect(progressFraction(5, null)).toBeNull();
    expect(progressFraction(5, 0)).toBeNull();
  });

  it('sizes files in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12.34 * 1024 * 1024)).toBe('12.3 MB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3 GB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('says bytes sent of the total while the file goes up', () => {
    expect(formatTransfer(3.2 * 1024 * 1024, 10 * 1024 * 1024, uploadsZh)).toBe('正在上传 3.2 MB / 10 MB（32%）');
    expect(formatTransfer(512, null, uploadsZh)).toBe('正在上传 512 B');
    expect(formatTransfer(1024, 4096, uploadsEn)).toBe('Uploading 1 KB of 4 KB (25%)');
  });

  it('says rows done of the total, in 万 for Chinese readers, and what is known without a total', () => {
    expect(formatRowProgress({ done: 12_000, total: 30_000 }, uploadsZh, 'zh')).toBe('已处理 1.2万 / 3万 行（40%）');
    expect(formatRowProgress({ done: 1200, total: null }, uploadsZh, 'zh')).toBe('已处理 1,200 行（总行数统计中）');
    expect(formatRowProgress({ done: 1_500_000, total: 3_000_000 }, uploadsEn, 'en')).toBe('1.5M of 3M rows done (50%)');
    expect(formatRowProgress({ phase: 'validating', done: 12_000, total: 30_000 }, uploadsZh, 'zh')).toBe('已处理 1.2万 / 3万 行（40%）');
  });

  it('says rows written of the total while committing, none yet while keeping the rows it replaces', () => {
    expect(formatRowProgress({ phase: 'committing', done: 12_000, total: 30_000 }, uploadsZh, 'zh')).toBe('已写入 1.2万 / 3万 行（40%）');
    expect(formatRowProgress({ phase: 'keeping', done: 0, total: 30_000 }, uploadsZh, 'zh')).toBe('已写入 0 / 3万 行（0%）');
    expect(formatRowProgress({ phase: 'committing', done: 500, total: null }, uploadsZh, 'zh')).toBe('已写入 500 行');
    expect(formatRowProgress({ phase: 'committing', done: 1_500_000, total: 3_000_000 }, uploadsEn, 'en')).toBe('1.5M of 3M rows written (50%)');
  });

  it('names the phases the API reports, and shows an unknown one as it came', () => {
    expect(phaseLabel('validating', uploadsZh)).toBe('校验数据');
    expect(phaseLabel('committing', uploadsZh)).toBe('写入中');
    expect(phaseLabel('keeping', uploadsZh)).toBe('保留原数据以便撤销');
    expect(phaseLabel('keeping', uploadsEn)).toBe('Keeping the original rows for a revert');
    expect(phaseLabel('indexing', uploadsZh)).toBe('indexing');
    // the phases are a plain record (the API may add some): both languages name the same ones
    expect(Object.keys(uploadsEn.phases).sort()).toEqual(Object.keys(uploadsZh.phases).sort());
  });
});

describe('mapping editor state → mapping JSON', () => {
  const columns = UPLOAD_COLUMNS['batch-results'];

  it('takes the upload’s mapping in the file’s order; an unknown key becomes 忽略', () => {
    const rows = mappingRows({ 药品名称: 'genericName', 规格: 'spec', 备注: '', 奇怪: 'nope' }, columns);
    expect(rows).toEqual([
      { header: '药品名称', key: 'genericName' },
      { header: '规格', key: 'spec' },
      { header: '备注', key: IGNORE },
      { header: '奇怪', key: IGNORE },
    ]);
    expect(mappingRows(null, columns)).toEqual([]);
  });

  it('sends every header, ignored ones with an empty key (the API’s “ignore”)', () => {
    let rows = mappingRows({ 药品名称: 'genericName', 规格: 'spec', 厂家: '' }, columns);
    rows = setRowKey(rows, '厂家', 'company');
    expect(rowsToMapping(rows)).toEqual({ 药品名称: 'genericName', 规格: 'spec', 厂家: 'company' });
    rows = setRowKey(rows, '规格', IGNORE);
    expect(rowsToMapping(rows)).toEqual({ 药品名称: 'genericName', 规格: '', 厂家: 'company' });
  });

  it('lists the required columns no header is mapped to', () => {
    const rows = mappingRows({ 药品名称: 'genericName', 规格: 'spec' }, columns);
    expect(missingRequired(rows, columns).map((c) => c.key)).toEqual(['company']);
    expect(missingRequired(setRowKey(rows, '规格', IGNORE), columns).map((c) => c.key)).toEqual(['spec', 'company']);
  });

  it('refuses a column chosen for two headers, but not two ignored headers', () => {
    const rows = [
      { header: '企业', key: 'company' },
      { header: '厂家名称', key: 'company' },
      { header: '备注', key: IGNORE },
      { header: '说明', key: IGNORE },
    ];
    expect([...duplicateColumns(rows)]).toEqual([['company', ['企业', '厂家名称']]]);
    expect(canSubmitMapping(rows)).toBe(false);
    expect(canSubmitMapping(setRowKey(rows, '企业', IGNORE))).toBe(true);
  });

  it('adds a header the report did not list, once', () => {
    const rows = mappingRows({ 药品名称: 'genericName', 规格: 'spec' }, columns);
    const added = addHeader(rows, '  厂家名称 ', 'company');
    expect(rowsToMapping(added)).toEqual({ 药品名称: 'genericName', 规格: 'spec', 厂家名称: 'company' });
    expect(missingRequired(added, columns)).toEqual([]);
    expect(addHeader(added, '厂家名称', 'packaging')).toEqual(added);
    expect(addHeader(added, '   ', 'packaging')).toEqual(added);
  });

  it('knows whether the rows differ from what the file was last read with', () => {
    const original = mappingRows({ a: 'spec', b: '' }, columns);
    expect(isMappingChanged(original, original)).toBe(false);
    expect(isMappingChanged(setRowKey(original, 'b', 'company'), original)).toBe(true);
    expect(isMappingChanged(addHeader(original, 'c', 'unit'), original)).toBe(true);
  });
});

describe('issue paging', () => {
  const issue = (row: number | null, i = 0): UploadIssue => ({ row, column: '医保编码', value: `v${i}`, code: 'X', message: `bad ${i}`, messageZh: `错误 ${i}` });
  const issues = Array.from({ length: 45 }, (_, i) => issue(i + 2, i));

  it('slices a page and clamps the page number', () => {
    expect(pageOfIssues(issues, 1).items.map((x) => x.row)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(pageOfIssues(issues, 3)).toMatchObject({ page: 3, pages: 3, total: 45 });
    expect(pageOfIssues(issues, 3).items).toHaveLength(5);
    expect(pageOfIssues(issues, 9).page).toBe(3);
    expect(pageOfIssues(issues, 0).page).toBe(1);
    expect(pageOfIssues([], 1)).toEqual({ items: [], page: 1, pages: 1, total: 0 });
    expect(pageOfIssues(issues, 2, 10).items[0]?.row).toBe(12);
  });

  it('puts file-level problems first and keeps the API’s order otherwise', () => {
    const sorted = sortIssues([issue(9, 1), issue(null, 2), issue(3, 3), issue(3, 4)]);
    expect(sorted.map((x) => x.message)).toEqual(['bad 2', 'bad 3', 'bad 4', 'bad 1']);
  });

  it('counts what the cap left out and speaks the reader’s language', () => {
    expect(issueTotal(200, 1234)).toBe(1434);
    expect(issueTotal(3, 0)).toBe(3);
    expect(issueMessage(issue(2, 7), 'zh')).toBe('错误 7');
    expect(issueMessage(issue(2, 7), 'en')).toBe('bad 7');
    expect(uploadsZh.issuesListed(200, 1234)).toBe('报告只列出前 200 条，另有 1234 条未列出。');
    expect(uploadsEn.issuesListed(3, 0)).toBe('3 in all.');
  });
});

describe('status labels and what each status allows', () => {
  it('every status has a word in both languages and its own shape', () => {
    for (const s of UPLOAD_STATUSES) {
      expect(uploadsZh.status[s]).toBeTruthy();
      expect(uploadsEn.status[s]).toBeTruthy();
      expect(STATUS_LOOK[s].shape).toBeTruthy();
    }
    // Finished states never share a shape, so they differ without colour.
    const finished = ['validated', 'invalid', 'committed', 'failed', 'interrupted', 'reverted'] as const;
    expect(new Set(finished.map((s) => STATUS_LOOK[s].shape)).size).toBe(finished.length);
  });

  it('shows an interrupted upload as a warning (its own shape), not an error nor a success', () => {
    expect(uploadsZh.status.interrupted).toBe('已中断');
    expect(uploadsEn.status.interrupted).toBe('Interrupted');
    expect(STATUS_LOOK.interrupted).toEqual({ shape: 'pause', tone: 'warn' });
    expect(STATUS_LOOK.interrupted.tone).not.toBe(STATUS_LOOK.failed.tone);
    expect(STATUS_LOOK.interrupted.tone).not.toBe(STATUS_LOOK.committed.tone);
  });

  it('polls every second while the server works, not otherwise', () => {
    expect(POLL_MS).toBe(1000);
    expect(pollInterval('processing')).toBe(1000);
    expect(pollInterval('committing')).toBe(1000);
    for (const s of ['validated', 'invalid', 'committed', 'failed', 'interrupted', 'reverted'] as const) {
      expect(pollInterval(s)).toBe(false);
      expect(isInProgress(s)).toBe(false);
    }
    expect(pollInterval(undefined)).toBe(false);
  });

  it('commits only a validated upload, and one with warnings once they are acknowledged', () => {
    const view = (status: UploadView['status'], warnings = 0, moreWarnings = 0) => ({
      status,
      warnings: Array.from({ length: warnings }, () => ({ row: 2, column: null, value: null, code: 'W', message: 'w', messageZh: 'w' })),
      moreWarnings,
    });
    expect(commitBlock(view('validated'), false)).toBeNull();
    expect(commitBlock(view('validated', 2), false)).toBe('warnings');
    expect(commitBlock(view('validated', 2), true)).toBeNull();
    expect(commitBlock(view('validated', 0, 5), false)).toBe('warnings');
    expect(commitBlock(view('invalid'), true)).toBe('not-validated');
    expect(commitBlock(view('committed'), true)).toBe('not-validated');
    expect(commitBlock(view('interrupted'), true)).toBe('not-validated');
  });

  it('reads again until committed, reverts only committed uploads, national data belongs to the nation', () => {
    const kept = (status: UploadView['status']) => ({ status, fileRemovedAt: null });
    expect(canReprocess(kept('invalid'))).toBe(true);
    expect(canReprocess(kept('validated'))).toBe(true);
    expect(canReprocess(kept('committed'))).toBe(false);
    expect(canReprocess(kept('processing'))).toBe(false);
    expect(canReprocess(kept('interrupted'))).toBe(true);
    expect(canReprocess(kept('failed'))).toBe(true);
    expect(canCommit(kept('validated'))).toBe(true);
    expect(canCommit(kept('committed'))).toBe(false);
    // retention removed the stored file: nothing to read again or commit (the server answers 409)
    const removed = (status: UploadView['status']) => ({ status, fileRemovedAt: '2026-11-01T02:00:00.000Z' });
    expect(canReprocess(removed('validated'))).toBe(false);
    expect(canReprocess(removed('interrupted'))).toBe(false);
    expect(canCommit(removed('validated'))).toBe(false);
    expect(isRevertible('committed')).toBe(true);
    expect(isRevertible('reverted')).toBe(false);
    expect(uploadDataRegion({ regionCode: '320000' })).toBe('320000');
    expect(uploadDataRegion({ regionCode: null })).toBe('100000');
  });
});

describe('why an upload stopped, and what to do', () => {
  const reason = { code: 'STOPPED_COMMITTING', phase: 'committing', message: 'The server stopped.', messageZh: '服务器停止运行。', at: '2026-03-05T06:07:09Z' };

  it('asks for the file to be validated again only when interrupted or failed', () => {
    expect(UPLOAD_STATUSES.filter(needsRevalidation)).toEqual(['failed', 'interrupted']);
  });

  it('shows what a commit would change only for a check that still holds', () => {
    expect(UPLOAD_STATUSES.filter((s) => !showsComparison(s))).toEqual(['invalid', 'failed', 'interrupted']);
  });

  it('counts rows only once the server has counted them', () => {
    const counts = (rows: number) => ({ rows, valid: rows, invalid: 0, skipped: 0 });
    expect(hasCounts({ status: 'interrupted', counts: counts(0) })).toBe(false);
    expect(hasCounts({ status: 'processing', counts: counts(0) })).toBe(false);
    expect(hasCounts({ status: 'interrupted', counts: counts(1200) })).toBe(true);
    expect(hasCounts({ status: 'invalid', counts: counts(0) })).toBe(true);
  });

  it('says the server’s reason in the reader’s language', () => {
    expect(reasonMessage(reason, 'zh')).toBe('服务器停止运行。');
    expect(reasonMessage(reason, 'en')).toBe('The server stopped.');
  });

  it('heads the reason by status: an error when failed, a warning otherwise', () => {
    expect(reasonLook('failed', uploadsZh)).toEqual({ title: '文件未能处理', tone: 'error' });
    expect(reasonLook('interrupted', uploadsZh)).toEqual({ title: '处理已中断', tone: 'warn' });
    expect(reasonLook('validated', uploadsEn)).toEqual({ title: 'The last commit did not go through', tone: 'warn' });
    expect(reasonLook('committed', uploadsZh).tone).toBe('warn');
  });

  it('asks for the report again after a refusal that may have moved the upload on, not when the server took nothing', () => {
    const error = (status: number, code: string) => new ApiRequestError({ status, code, message: code, messageZh: code, requestId: null });
    expect(mayHaveChangedUpload(error(409, 'UPLOAD_STALE'))).toBe(true);
    expect(mayHaveChangedUpload(error(507, 'INSUFFICIENT_STORAGE'))).toBe(true);
    expect(mayHaveChangedUpload(error(409, 'CONFLICT'))).toBe(true);
    expect(mayHaveChangedUpload(error(503, 'UNAVAILABLE'))).toBe(false);
    expect(mayHaveChangedUpload(error(0, 'NETWORK_ERROR'))).toBe(false);
    expect(mayHaveChangedUpload(new DOMException('aborted', 'AbortError'))).toBe(false);
  });
});

describe('history filters in the URL', () => {
  it('reads kind, status and page, dropping anything malformed', () => {
    expect(parseUploadFilters(new URLSearchParams('kind=purchases&status=invalid&page=2'))).toEqual({ kind: 'purchases', status: 'invalid', page: 2 });
    expect(parseUploadFilters(new URLSearchParams('kind=nope&status=DONE&page=-3'))).toEqual({ kind: undefined, status: undefined, page: 1 });
    expect(parseUploadFilters(new URLSearchParams('status=interrupted'))).toEqual({ kind: undefined, status: 'interrupted', page: 1 });
    expect(parseUploadFilters(new URLSearchParams(''))).toEqual({ kind: undefined, status: undefined, page: 1 });
  });

  it('writes them back without empty values or page 1, and round-trips', () => {
    expect(uploadFiltersToParams({ kind: 'batch-results', status: undefined, page: 1 }).toString()).toBe('kind=batch-results');
    const f = { kind: 'agreed-volumes' as const, status: 'committed' as const, page: 3 };
    expect(parseUploadFilters(uploadFiltersToParams(f))).toEqual(f);
    expect(hasUploadFilters({ page: 4 })).toBe(false);
    expect(hasUploadFilters({ status: 'failed', page: 1 })).toBe(true);
  });
});

describe('the new-upload form', () => {
  const draft = (over: Partial<UploadDraft>): UploadDraft => ({ kind: 'purchases', batchCode: null, regionCode: null, file: { name: 'a.csv', size: 10 }, mapping: null, ...over });

  it('asks for a batch for batch results (optional for agreed volumes) and a province of national users', () => {
    expect(batchNeed('batch-results')).toBe('required');
    expect(batchNeed('agreed-volumes')).toBe('optional');
    expect(batchNeed('purchases')).toBe('none');
    expect(regionNeeded('purchases', true)).toBe(true);
    expect(regionNeeded('purchases', false)).toBe(false);
    expect(regionNeeded('batch-results', true)).toBe(false);
    expect(draftProblems(draft({ kind: 'batch-results' }), true)).toEqual({ batch: 'required' });
    expect(draftProblems(draft({}), true)).toEqual({ region: 'required' });
    expect(draftProblems(draft({}), false)).toEqual({});
    expect(draftProblems(draft({ kind: null, file: null }), false)).toEqual({ kind: 'required', file: 'required' });
  });

  it('refuses province volumes for a batch whose list of selected varieties is not loaded', () => {
    expect(draftProblems(draft({ kind: 'province-volumes', batchCode: 'D3', batchListLoaded: false }), true)).toEqual({ batch: 'list-not-loaded' });
    expect(draftProblems(draft({ kind: 'province-volumes', batchCode: 'D3', batchListLoaded: true }), true)).toEqual({});
    // the results themselves are what loads the list
    expect(draftProblems(draft({ kind: 'batch-results', batchCode: 'D3', batchListLoaded: false }), true)).toEqual({});
  });

  it('refuses .xls (save as .xlsx), other types, empty and too large files before sending', () => {
    expect(fileProblem({ name: '采购.XLS', size: 10 })).toBe('xls');
    expect(fileProblem({ name: 'a.pdf', size: 10 })).toBe('type');
    expect(fileProblem({ name: 'a.xlsx', size: 0 })).toBe('empty');
    expect(fileProblem({ name: 'a.xlsx', size: MAX_UPLOAD_BYTES + 1 })).toBe('too-large');
    expect(fileProblem({ name: 'a.XLSX', size: MAX_UPLOAD_BYTES })).toBeNull();
    expect(fileProblem({ name: '结果.csv', size: 1 })).toBeNull();
  });

  it('sends only the fields that apply, the mapping as JSON text', () => {
    expect(uploadFields(draft({ kind: 'batch-results', batchCode: 'D2', regionCode: '320000' }), true)).toEqual({ kind: 'batch-results', batch: 'D2' });
    expect(uploadFields(draft({ regionCode: '320000', batchCode: 'D2' }), true)).toEqual({ kind: 'purchases', region: '320000' });
    expect(uploadFields(draft({ regionCode: '320000' }), false)).toEqual({ kind: 'purchases' });
    expect(uploadFields(draft({ mapping: { 厂家名称: 'company' } }), false)).toEqual({ kind: 'purchases', mapping: '{"厂家名称":"company"}' });
    const form = uploadFormData(new File(['a,b'], '采购.csv'), { kind: 'purchases' });
    expect(form.get('kind')).toBe('purchases');
    expect((form.get('file') as File).name).toBe('采购.csv');
    expect(templateUrl('agreed-volumes', 'xlsx')).toBe('/api/templates/agreed-volumes.xlsx');
  });
});
