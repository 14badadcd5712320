import { useState, type FormEvent } from 'react';
import type { ReprocessUploadInput, UploadView } from '@vbp/contracts/uploads';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Field } from '../../../components/ui/field';
import { useToast } from '../../../components/ui/toast';
import { useReprocessUpload } from '../api/upload-mutations';
import { useUploadText } from '../i18n/use-upload-text';
import { isCsvName } from '../utils/upload-form';
import type { EncodingChoice } from './mapping-editor';

/**
 * How the stored file is read: the sheet of a workbook, the text encoding of a CSV (short GBK text can
 * pass for UTF-8, so the clerk may insist). Reading it again lets the headers be recognised afresh, so
 * no mapping is sent from here.
 */
export function ReadOptions(props: { view: UploadView; editable: boolean; encoding: EncodingChoice; onEncoding: (e: EncodingChoice) => void }) {
  const { view, editable } = props;
  const { u } = useUploadText();
  const toast = useToast();
  const reprocess = useReprocessUpload(view.id);
  const csv = isCsvName(view.fileName);
  const [sheet, setSheet] = useState(view.sheet ?? view.sheets[0] ?? '');
  const [encoding, setEncoding] = useState<EncodingChoice>(props.encoding);
  // After commit (or for users who may not change it) there is nothing to choose.
  if (!editable || (!csv && view.sheets.length === 0)) return null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const input: ReprocessUploadInput = {};
    if (!csv && sheet) input.sheet = sheet;
    if (csv && encoding !== 'auto') input.encoding = encoding;
    reprocess.mutate(input, {
      onSuccess: () => {
        props.onEncoding(encoding);
        toast.notify(u.reprocessed);
      },
    });
  };

  return (
    <form className="read-options" onSubmit={onSubmit} data-testid="read-options">
      <h3 className="mapping-editor__title">{u.readOptions}</h3>
      <div className="read-options__row">
        {!csv ? (
          <Field label={u.sheet} hint={u.sheetHint}>
            {(control) => (
              <select {...control} className="input" value={sheet} onChange={(e) => setSheet(e.target.value)} data-testid="sheet-select">
                {view.sheets.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field label={u.encoding} hint={u.encodingHint}>
            {(control) => (
              <select {...control} className="input" value={encoding} onChange={(e) => setEncoding(e.target.value as EncodingChoice)} data-testid="encoding-select">
                <option value="auto">{u.encodingAuto}</option>
                <option value="utf-8">{u.encodingUtf8}</option>
                <option value="gb18030">{u.encodingGb}</option>
              </select>
            )}
          </Field>
        )}
        <button type="submit" className="button" disabled={reprocess.isPending} data-testid="read-reprocess">
          {reprocess.isPending ? u.reprocessing : u.reprocess}
        </button>
      </div>
      {reprocess.isError ? <ErrorNotice error={reprocess.error} title={u.reprocessFailed} /> : null}
    </form>
  );
}
