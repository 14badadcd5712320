import { useId, useMemo, useState, type FormEvent } from 'react';
import { UPLOAD_COLUMNS, type ColumnSpec, type ReprocessUploadInput, type UploadView } from '@vbp/contracts/uploads';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Field } from '../../../components/ui/field';
import { StackTable } from '../../../components/ui/table';
import { useToast } from '../../../components/ui/toast';
import { useReprocessUpload, useSaveMapping } from '../api/upload-mutations';
import { useUploadText } from '../i18n/use-upload-text';
import {
  addHeader,
  canSubmitMapping,
  columnLabel,
  duplicateColumns,
  hasHeader,
  IGNORE,
  isMappingChanged,
  joinNames,
  mappingRows,
  missingRequired,
  rowsToMapping,
  setRowKey,
  type MappingRow,
} from '../utils/mapping';

export type EncodingChoice = 'auto' | 'utf-8' | 'gb18030';

/** The read choices last sent (sheet, encoding) go along with a new mapping, so the same table is read. */
export function readChoices(view: Pick<UploadView, 'sheet'>, encoding: EncodingChoice): ReprocessUploadInput {
  return { ...(view.sheet ? { sheet: view.sheet } : {}), ...(encoding !== 'auto' ? { encoding } : {}) };
}

/**
 * The detected mapping as "file header → column", and (for users who may change it, before commit) the
 * editor: each header gets a column of the kind or 忽略; 重新校验 reads the same stored file with it.
 * It opens by itself when required columns are missing. 保存映射 keeps the mapping the upload was last
 * read with for files with the same headers.
 */
export function MappingSection(props: { view: UploadView; editable: boolean; encoding: EncodingChoice }) {
  const { view, editable, encoding } = props;
  const { u, lang } = useUploadText();
  const columns = UPLOAD_COLUMNS[view.kind];
  const original = useMemo(() => mappingRows(view.mapping, columns), [view.mapping, columns]);
  const missingNow = missingRequired(original, columns);
  const [editing, setEditing] = useState(editable && missingNow.length > 0);
  const [rows, setRows] = useState<MappingRow[]>(original);
  const reprocess = useReprocessUpload(view.id);
  const toast = useToast();
  const changed = isMappingChanged(rows, original);
  const byKey = new Map(columns.map((c) => [c.key, c]));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!canSubmitMapping(rows)) return;
    reprocess.mutate({ ...readChoices(view, encoding), mapping: rowsToMapping(rows) }, { onSuccess: () => toast.notify(u.reprocessed) });
  };

  return (
    <div className="mapping" data-testid="mapping-section">
      {original.length === 0 ? (
        <p className="muted">{u.mappingNone}</p>
      ) : (
        <ul className="mapping-list" data-testid="mapping-list">
          {original.map((r) => {
            const col = byKey.get(r.key);
            return (
              <li key={r.header} className="mapping-list__item" data-testid="mapping-item" data-header={r.header} data-key={r.key}>
                <span className="mapping-list__header">{r.header}</span>
                <span className="mapping-list__arrow" aria-label={lang === 'zh' ? '对应' : 'maps to'}>
                  {u.mappingArrow}
                </span>
                <span className={col ? 'mapping-list__column' : 'mapping-list__column muted'}>{col ? columnLabel(col, lang) : u.mappingIgnored}</span>
              </li>
            );
          })}
        </ul>
      )}
      {missingNow.length > 0 && !editing && view.status !== 'committed' && view.status !== 'reverted' ? (
        <p className="notice notice--warn mapping__missing" role="status" data-testid="mapping-missing">
          {u.mappingMissing(joinNames(missingNow.map((c) => columnLabel(c, lang)), lang))}
        </p>
      ) : null}

      {editable && original.length > 0 && !editing ? (
        <p>
          <button type="button" className="button" onClick={() => setEditing(true)} data-testid="mapping-edit">
            {u.mappingEdit}
          </button>
        </p>
      ) : null}

      {editable && editing ? (
        <MappingEditorForm
          rows={rows}
          columns={columns}
          pending={reprocess.isPending}
          error={reprocess.isError ? reprocess.error : null}
          changed={changed}
          onChange={setRows}
          onCancel={() => {
            setRows(original);
            setEditing(false);
            reprocess.reset();
          }}
          onSubmit={onSubmit}
        />
      ) : null}

      {editable && original.length > 0 ? <SaveMappingForm uploadId={view.id} dirty={editing && changed} /> : null}
    </div>
  );
}

function MappingEditorForm(props: {
  rows: MappingRow[];
  columns: readonly ColumnSpec[];
  pending: boolean;
  error: unknown;
  changed: boolean;
  onChange: (rows: MappingRow[]) => void;
  onCancel: () => void;
  onSubmit: (e: FormEvent) => void;
}) {
  const { u, lang } = useUploadText();
  const id = useId();
  const { rows, columns } = props;
  const missing = missingRequired(rows, columns);
  const duplicates = duplicateColumns(rows);
  const byKey = new Map(columns.map((c) => [c.key, c]));
  return (
    <form className="mapping-editor" onSubmit={props.onSubmit} aria-labelledby={`${id}-title`} data-testid="mapping-editor">
      <h3 id={`${id}-title`} className="mapping-editor__title">
        {u.mappingEditTitle}
      </h3>
      <StackTable className="mapping-editor__table" columns={[u.mappingFileHeader, u.mappingColumn]}>
        {rows.map((r, i) => {
          const dup = r.key !== IGNORE && duplicates.has(r.key);
          return (
            <tr key={r.header} data-testid="mapping-row" data-header={r.header}>
              <th scope="row" data-label={u.mappingFileHeader}>
                <label htmlFor={`${id}-${i}`}>{r.header}</label>
              </th>
              <td data-label={u.mappingColumn}>
                <select
                  id={`${id}-${i}`}
                  className="input"
                  value={r.key}
                  aria-invalid={dup || undefined}
                  onChange={(e) => props.onChange(setRowKey(rows, r.header, e.target.value))}
                  data-testid="mapping-select"
                >
                  <option value={IGNORE}>{u.mappingIgnored}</option>
                  <ColumnOptions columns={columns} />
                </select>
              </td>
            </tr>
          );
        })}
      </StackTable>
      <div aria-live="polite">
        {[...duplicates].map(([key, headers]) => {
          const col = byKey.get(key);
          return (
            <p key={key} className="field__error" data-testid="mapping-duplicate">
              {u.mappingDuplicate(col ? columnLabel(col, lang) : key, joinNames(headers, lang))}
            </p>
          );
        })}
        {missing.length > 0 ? (
          <p className="field__hint" data-testid="mapping-still-missing">
            {u.mappingMissing(joinNames(missing.map((c) => columnLabel(c, lang)), lang))}
          </p>
        ) : null}
      </div>
      <AddHeader rows={rows} columns={columns} onAdd={props.onChange} />
      {props.error ? <ErrorNotice error={props.error} title={u.reprocessFailed} /> : null}
      <div className="form-actions form-actions--start">
        <button type="submit" className="button button--primary" disabled={props.pending || duplicates.size > 0} data-testid="mapping-reprocess">
          {props.pending ? u.reprocessing : u.reprocess}
        </button>
        <button type="button" className="button" onClick={props.onCancel} disabled={props.pending}>
          {u.mappingCancel}
        </button>
      </div>
    </form>
  );
}

/** The kind's columns as a select's options, the required ones marked. */
function ColumnOptions({ columns }: { columns: readonly ColumnSpec[] }) {
  const { u, lang } = useUploadText();
  return (
    <>
      {columns.map((c) => (
        <option key={c.key} value={c.key}>
          {columnLabel(c, lang)}
          {c.required ? u.mappingRequired : ''}
        </option>
      ))}
    </>
  );
}

/**
 * A header the report does not list (the API lists the headers it matched) typed by the clerk with its
 * column: how a header nobody recognised gets mapped. Not a form of its own (it sits in the editor's).
 */
function AddHeader({ rows, columns, onAdd }: { rows: MappingRow[]; columns: readonly ColumnSpec[]; onAdd: (rows: MappingRow[]) => void }) {
  const { u } = useUploadText();
  const id = useId();
  const [header, setHeader] = useState('');
  const missing = missingRequired(rows, columns);
  const [key, setKey] = useState<string>(missing[0]?.key ?? columns[0]?.key ?? IGNORE);
  const exists = header.trim() !== '' && hasHeader(rows, header);
  const add = () => {
    if (!header.trim() || exists) return;
    onAdd(addHeader(rows, header, key));
    setHeader('');
    const stillMissing = missingRequired(addHeader(rows, header, key), columns);
    setKey(stillMissing[0]?.key ?? key);
  };
  return (
    <div className="mapping-add" role="group" aria-labelledby={`${id}-title`} data-testid="mapping-add">
      <p id={`${id}-title`} className="mapping-add__title">
        {u.mappingAddTitle} <span className="field__hint">{u.mappingAddHint}</span>
      </p>
      <div className="mapping-add__row">
        <label className="visually-hidden" htmlFor={`${id}-header`}>
          {u.mappingAddHeader}
        </label>
        <input
          id={`${id}-header`}
          className="input"
          value={header}
          placeholder={u.mappingAddHeader}
          maxLength={200}
          autoComplete="off"
          aria-invalid={exists || undefined}
          aria-describedby={exists ? `${id}-exists` : undefined}
          onChange={(e) => setHeader(e.target.value)}
          onKeyDown={(e) => {
            // Enter adds the header here rather than submitting the editor.
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          data-testid="mapping-add-header"
        />
        <span className="mapping-list__arrow" aria-hidden="true">
          {u.mappingArrow}
        </span>
        <label className="visually-hidden" htmlFor={`${id}-key`}>
          {u.mappingColumn}
        </label>
        <select id={`${id}-key`} className="input" value={key} onChange={(e) => setKey(e.target.value)} data-testid="mapping-add-column">
          <ColumnOptions columns={columns} />
        </select>
        <button type="button" className="button" onClick={add} disabled={!header.trim() || exists} data-testid="mapping-add-submit">
          {u.mappingAdd}
        </button>
      </div>
      {exists ? (
        <p id={`${id}-exists`} className="field__error">
          {u.mappingAddExists}
        </p>
      ) : null}
    </div>
  );
}

/** Saves the mapping the upload was last read with, under a name, for files with the same headers. */
function SaveMappingForm({ uploadId, dirty }: { uploadId: number; dirty: boolean }) {
  const { t, u } = useUploadText();
  const save = useSaveMapping();
  const toast = useToast();
  const [name, setName] = useState('');
  const [tried, setTried] = useState(false);
  const trimmed = name.trim();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!trimmed || dirty) return;
    save.mutate(
      { uploadId, name: trimmed },
      {
        onSuccess: (saved) => {
          toast.notify(u.saveMappingSaved(saved.name));
          setName('');
          setTried(false);
        },
      },
    );
  };
  return (
    <form className="save-mapping" onSubmit={onSubmit} noValidate data-testid="save-mapping">
      <h3 className="mapping-editor__title">{u.saveMapping}</h3>
      <div className="save-mapping__row">
        <Field label={u.saveMappingName} hint={dirty ? u.saveMappingDirty : u.saveMappingNameHint} error={tried && !trimmed ? t.validation.required : undefined} required>
          {(control) => (
            <input {...control} className="input" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" data-testid="save-mapping-name" />
          )}
        </Field>
        <button type="submit" className="button" disabled={save.isPending || dirty} data-testid="save-mapping-submit">
          {save.isPending ? u.saveMappingSaving : u.saveMappingSave}
        </button>
      </div>
      {save.isError ? <ErrorNotice error={save.error} title={u.saveMappingFailed} /> : null}
    </form>
  );
}
