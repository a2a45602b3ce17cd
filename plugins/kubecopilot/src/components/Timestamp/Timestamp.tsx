import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useLocale } from '../../hooks/useLocale';
import { kubecopilotTranslationRef } from '../../translation';
import { formatAge } from '../PlansTable/format';

/** An RFC 3339 / ISO 8601 date-time, as Kubernetes and the backend write them. */
const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoTimestamp(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    ISO_DATE_TIME.test(value) &&
    Number.isFinite(Date.parse(value))
  );
}

/**
 * A moment for people: "5 minutes ago" (or the local date and time with
 * `format="locale"`), with the exact ISO value in the title and the
 * `dateTime` attribute for whoever needs it.
 */
export function Timestamp(props: {
  iso: string;
  format?: 'relative' | 'locale';
}) {
  const { iso, format = 'relative' } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const language = useLocale();
  const date = new Date(iso);
  if (!Number.isFinite(date.getTime())) {
    return <>{iso}</>;
  }
  const locale = date.toLocaleString(language);
  return (
    <time dateTime={iso} title={`${locale} (${iso})`}>
      {format === 'relative'
        ? formatAge(iso, Date.now(), {
            locale: language,
            justNow: t('time.justNow'),
          })
        : locale}
    </time>
  );
}
