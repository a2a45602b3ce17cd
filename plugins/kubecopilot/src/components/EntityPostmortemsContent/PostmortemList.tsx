import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Postmortem } from '@kubecopilot/backstage-plugin-kubecopilot-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { kubecopilotTranslationRef } from '../../translation';

/** The entity's postmortems, one to pick; loading and errors shown in place. */
export function PostmortemList(props: {
  items: Postmortem[];
  loaded: boolean;
  loading: boolean;
  error?: Error;
  selectedId?: string;
  onSelect: (postmortem: Postmortem) => void;
}) {
  const { items, loaded, loading, error } = props;
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <InfoCard title={t('postmortems.listTitle')}>
      {loading && !loaded && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {loaded && items.length === 0 && t('postmortems.none')}
      <List dense>
        {items.map(p => (
          <ListItem
            key={p.id}
            button
            selected={props.selectedId === p.id}
            onClick={() => props.onSelect(p)}
          >
            <ListItemText
              primary={p.title}
              secondary={`v${p.version} · ${p.from.slice(0, 16)} → ${p.to.slice(
                0,
                16,
              )}`}
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}
