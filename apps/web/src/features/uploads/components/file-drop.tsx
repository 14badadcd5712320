import { useId, useRef, useState, type DragEvent } from 'react';
import { formatBytes } from '../utils/progress';
import { ACCEPT } from '../utils/upload-form';
import { useUploadText } from '../i18n/use-upload-text';

/**
 * A drop zone around a file input: drag a file onto it, or choose one (the input is the keyboard's way
 * in: Tab to it, Enter or Space opens the picker). The chosen file's line keeps its height, so choosing
 * one moves nothing below.
 */
export function FileDrop(props: { file: File | null; onFile: (file: File | null) => void; error?: string | undefined; disabled?: boolean; maxBytes: number }) {
  const { u } = useUploadText();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const describedBy = [props.error ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(' ');

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (props.disabled) return;
    const file = e.dataTransfer.files[0];
    if (file) props.onFile(file);
  };

  return (
    <div className="field">
      <div
        className={`dropzone${dragging ? ' is-dragging' : ''}${props.error ? ' is-invalid' : ''}${props.disabled ? ' is-disabled' : ''}`}
        onDragEnter={(e) => {
          e.preventDefault();
          if (!props.disabled) setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = props.disabled ? 'none' : 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
        data-testid="file-drop"
      >
        <svg className="dropzone__icon" width="32" height="32" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M14 3H6.5A1.5 1.5 0 0 0 5 4.5v15A1.5 1.5 0 0 0 6.5 21h11a1.5 1.5 0 0 0 1.5-1.5V8z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
          <path d="M14 3v5h5M12 17v-6M9.5 13.5L12 11l2.5 2.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <p className="dropzone__title">
          {u.dropTitle}{' '}
          <label htmlFor={id} className="dropzone__pick">
            {u.dropPick}
          </label>
        </p>
        <input
          ref={inputRef}
          id={id}
          type="file"
          accept={ACCEPT}
          className="dropzone__input"
          disabled={props.disabled}
          aria-describedby={describedBy}
          aria-invalid={props.error ? true : undefined}
          onChange={(e) => {
            props.onFile(e.target.files?.[0] ?? null);
            // the same file chosen again after a fix still fires a change
            e.target.value = '';
          }}
          data-testid="file-input"
        />
        <p id={`${id}-hint`} className="field__hint">
          {u.dropAccept} {u.dropLimit(formatBytes(props.maxBytes))}
        </p>
        <p className="dropzone__file" data-testid="file-chosen">
          {props.file ? (
            <>
              <span className="visually-hidden">{u.fileChosen}: </span>
              <strong className="dropzone__name">{props.file.name}</strong> <span className="muted num">{formatBytes(props.file.size)}</span>
            </>
          ) : (
            '\u00a0'
          )}
        </p>
      </div>
      {props.error ? (
        <p id={`${id}-error`} className="field__error" data-testid="file-error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
