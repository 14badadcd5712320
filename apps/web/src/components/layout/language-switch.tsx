import { useId } from 'react';
import { useI18n } from '../../lib/i18n/i18n-context';
import { LANGS, type Lang } from '../../lib/i18n/types';

const NAMES: Record<Lang, { label: string; lang: string }> = { zh: { label: '中文', lang: 'zh-CN' }, en: { label: 'EN', lang: 'en' } };

/** 中文 | EN. Each name is written in its own language so either reader can find theirs. */
export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  const id = useId();
  return (
    <div className="control">
      <span id={id} className="control__label">
        {t.app.language}
      </span>
      <div className="segmented" role="group" aria-labelledby={id}>
        {LANGS.map((l) => (
          <button
            key={l}
            type="button"
            lang={NAMES[l].lang}
            className="segmented__item"
            aria-pressed={lang === l}
            onClick={() => setLang(l)}
            data-testid={`lang-${l}`}
          >
            {NAMES[l].label}
          </button>
        ))}
      </div>
    </div>
  );
}
