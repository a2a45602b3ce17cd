import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

/** One choice of a {@link FilterSelect}; the empty value means "any". */
export interface FilterOption {
  value: string;
  label: string;
}

/** A small outlined select above a list, for one filter over string values. */
export function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: FilterOption[];
  minWidth: number;
}) {
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      size="small"
      variant="outlined"
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      style={{ minWidth: props.minWidth }}
    >
      {props.options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
