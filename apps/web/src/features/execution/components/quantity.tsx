import { formatLarge } from '../../../lib/format';
import { useExecutionText } from '../i18n/use-execution-text';

/** A quantity from the API's decimal string, in 万 / 亿 for Chinese readers (display only, never summed). */
export function useQuantity() {
  const { lang } = useExecutionText();
  return (value: string) => formatLarge(Number(value), lang, 0);
}

/** purchased / agreed, e.g. "1.2万 / 3.5万". */
export function QuantityPair({ purchased, agreed }: { purchased: string; agreed: string }) {
  const quantity = useQuantity();
  return (
    <span className="nowrap">
      <span data-testid="exec-purchased">{quantity(purchased)}</span>
      <span className="muted"> / </span>
      <span data-testid="exec-agreed">{quantity(agreed)}</span>
    </span>
  );
}
