import {
  MetricPanel,
  MetricSeries,
} from '@kubecopilot/backstage-plugin-kubecopilot-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatMetric, formatTime } from './format';

const useStyles = makeStyles(theme => ({
  title: { fontWeight: 500 },
  latest: { color: theme.palette.text.secondary },
  error: { color: theme.palette.error.main },
}));

const PALETTE = [
  '#1f77b4',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
];

/** A moment worth seeing on every chart: a plan executed or reverted. */
export interface ChartMarker {
  /** unix ms */
  at: number;
  label: string;
}

/** The series as recharts rows: one per timestamp, one column per series. */
function rows(series: MetricSeries[]) {
  const byTime = new Map<number, Record<string, number>>();
  series.forEach((s, i) => {
    for (const [t, v] of s.points) {
      const row = byTime.get(t) ?? { t };
      row[`s${i}`] = v;
      byTime.set(t, row);
    }
  });
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/** The last value of each series, in words ("api 120m · limit (api) 500m"). */
export function latestValues(panel: MetricPanel): string {
  return panel.series
    .filter(s => s.points.length > 0)
    .map(
      s =>
        `${s.name} ${formatMetric(
          s.points[s.points.length - 1][1],
          panel.unit,
        )}`,
    )
    .join(' · ');
}

/**
 * One chart: measured values as solid lines, requests and limits as dashed
 * lines (limits in the error colour), values on hover.
 */
export function MetricChart(props: {
  panel: MetricPanel;
  title: string;
  noData: string;
  rangeSeconds: number;
  /** Plans executed, failed or reverted in the range, drawn as vertical lines. */
  markers?: ChartMarker[];
}) {
  const { panel, title, noData, rangeSeconds, markers = [] } = props;
  const classes = useStyles();
  const theme = useTheme();
  const data = rows(panel.series);
  const withDate = rangeSeconds > 24 * 3600;
  let colour = 0;
  return (
    <div>
      <Typography variant="subtitle2" className={classes.title}>
        {title}
      </Typography>
      {panel.error && (
        <Typography variant="body2" className={classes.error}>
          {panel.error}
        </Typography>
      )}
      {!panel.error && data.length === 0 && (
        <Typography variant="body2" className={classes.latest}>
          {noData}
        </Typography>
      )}
      {data.length > 0 && (
        <>
          <Typography variant="caption" className={classes.latest}>
            {latestValues(panel)}
          </Typography>
          <ResponsiveContainer width="100%" height={180}>
            <LineChart
              data={data}
              margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={['dataMin', 'dataMax']}
                tickFormatter={t => formatTime(Number(t), withDate)}
                minTickGap={32}
              />
              <YAxis
                width={72}
                tickFormatter={v => formatMetric(Number(v), panel.unit)}
                domain={[0, 'auto']}
              />
              <Tooltip
                labelFormatter={t => formatTime(Number(t), true)}
                formatter={(v: unknown) => formatMetric(Number(v), panel.unit)}
              />
              <Legend />
              {markers.map(m => (
                <ReferenceLine
                  key={`${m.at}:${m.label}`}
                  x={m.at}
                  stroke={theme.palette.warning.main}
                  strokeDasharray="2 2"
                  ifOverflow="discard"
                  label={{
                    value: m.label,
                    position: 'insideTopLeft',
                    fontSize: 10,
                  }}
                />
              ))}
              {panel.series.map((s, i) => {
                let stroke = theme.palette.text.secondary;
                if (s.role === 'limit') stroke = theme.palette.error.main;
                if (s.role === 'value')
                  stroke = PALETTE[colour++ % PALETTE.length];
                return (
                  <Line
                    key={`${s.role}:${s.name}`}
                    dataKey={`s${i}`}
                    name={s.name}
                    stroke={stroke}
                    strokeDasharray={s.role === 'value' ? undefined : '6 4'}
                    dot={false}
                    isAnimationActive={false}
                    connectNulls
                  />
                );
              })}
            </LineChart>
          </ResponsiveContainer>
        </>
      )}
    </div>
  );
}
