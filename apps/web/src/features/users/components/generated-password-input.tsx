import type { FieldControlProps } from '../../../components/ui/field';
import { useI18n } from '../../../lib/i18n/i18n-context';
import { generatePassword } from '../utils/generate-password';

/** A temporary password, shown in full (it is passed on by hand), with a button for a newly generated one. */
export function GeneratedPasswordInput({ control, value, onChange, testId }: { control: FieldControlProps; value: string; onChange: (value: string) => void; testId: string }) {
  const { t } = useI18n();
  return (
    <span className="input-row">
      <input {...control} className="input input--mono" autoComplete="new-password" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
      <button type="button" className="button" onClick={() => onChange(generatePassword())}>
        {t.users.generate}
      </button>
    </span>
  );
}
