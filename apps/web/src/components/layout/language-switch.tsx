import { useId } from 'react';
import { useI18n } from '../../lib/i18n/i18n-context';
import { LANGS, type Lang } from '../../lib/i18n/types';
import { Segmented } from '../ui/segmented';

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
      <Segmented
        label={{ labelledBy: id }}
        options={LANGS}
        value={lang}
        onChange={setLang}
        text={(l) => NAMES[l].label}
        optionLang={(l) => NAMES[l].lang}
        optionTestId={(l) => `lang-${l}`}
      />
    </div>
  );
}
