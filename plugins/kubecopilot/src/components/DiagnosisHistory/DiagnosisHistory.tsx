import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Diagnosis } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { formatAge } from '../PlansTable/format';
import { useLocale } from '../../hooks/useLocale';
import { kubecopilotTranslationRef } from '../../translation';

/** Recent diagnoses, newest first; the one on screen is highlighted. */
export function DiagnosisHistory(props: {
  items: Diagnosis[];
  selectedId?: string;
  onSelect: (id: string) => void;
}) {
  const { items, selectedId, onSelect } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  const locale = useLocale();
  return (
    <>
      <Typography variant="subtitle2" component="h3">
        {t('diagnose.history.title')}
      </Typography>
      <List dense aria-label={t('diagnose.history.label')}>
        {items.map(diagnosis => {
          const partial = diagnosis.errors.length > 0;
          return (
            <ListItem
              key={diagnosis.id}
              button
              selected={diagnosis.id === selectedId}
              aria-current={diagnosis.id === selectedId ? 'true' : undefined}
              onClick={() => onSelect(diagnosis.id)}
            >
              {/* The headline names the cause, so entries differ in their first words. */}
              <ListItemText
                primary={diagnosis.headline ?? diagnosis.summary}
                primaryTypographyProps={{
                  noWrap: true,
                  title: diagnosis.headline ?? diagnosis.summary,
                }}
                secondary={`${formatAge(diagnosis.createdAt, Date.now(), {
                  locale,
                  justNow: t('time.justNow'),
                })} · ${
                  diagnosis.source === 'llm'
                    ? t('diagnose.result.sourceAi')
                    : t('diagnose.result.sourceRules')
                }${partial ? ` · ${t('diagnose.history.partial')}` : ''}`}
              />
            </ListItem>
          );
        })}
      </List>
    </>
  );
}
