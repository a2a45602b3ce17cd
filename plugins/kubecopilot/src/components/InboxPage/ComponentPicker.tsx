import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ApiRef,
  useApiHolder,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import {
  catalogApiRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { kubecopilotTranslationRef } from '../../translation';

// Some API holders throw for an API nobody registered instead of answering
// undefined.
function useOptionalApi<T>(ref: ApiRef<T>): T | undefined {
  const holder = useApiHolder();
  try {
    return holder.get(ref);
  } catch {
    return undefined;
  }
}

/** The component the prompt bar's plan is for, picked from the catalog. */
export function ComponentPicker(props: {
  value: string | null;
  onChange: (ref: string | null) => void;
}) {
  // An app without the catalog still gets a working prompt bar: the user
  // types the entity reference instead of picking it.
  const catalogApi = useOptionalApi(catalogApiRef);
  const { value: options = [], loading } = useAsync(async () => {
    if (!catalogApi) return [];
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Component' },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    });
    return items.map(e => stringifyEntityRef(e)).sort();
  }, [catalogApi]);
  const { t } = useTranslationRef(kubecopilotTranslationRef);
  return (
    <Autocomplete
      id="kubecopilot-entity-picker"
      options={options}
      loading={loading}
      freeSolo={!catalogApi}
      autoSelect={!catalogApi}
      value={props.value}
      onChange={(_event, value) => props.onChange(value)}
      getOptionLabel={ref =>
        humanizeEntityRef(
          {
            kind: 'Component',
            namespace: ref.split(':')[1]?.split('/')[0] ?? 'default',
            name: ref.split('/').pop() ?? ref,
          } as any,
          { defaultKind: 'component' },
        )
      }
      style={{ width: 260, marginRight: 8 }}
      renderInput={params => (
        <TextField
          {...params}
          label={t('inbox.component')}
          variant="outlined"
          size="small"
        />
      )}
    />
  );
}
