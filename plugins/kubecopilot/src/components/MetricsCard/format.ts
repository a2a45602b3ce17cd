import { MetricUnit } from '@kubecopilot/backstage-plugin-kubecopilot-common';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function trim(value: number, digits: number): string {
  return Number(value.toFixed(digits)).toLocaleString('en-US', {
    maximumFractionDigits: digits,
  });
}

/** A value in its unit, as a chart axis or tooltip shows it. */
export function formatMetric(value: number, unit: MetricUnit): string {
  switch (unit) {
    case 'bytes': {
      let v = value;
      let i = 0;
      while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) {
        v /= 1024;
        i += 1;
      }
      return `${trim(v, v < 10 ? 1 : 0)} ${BYTE_UNITS[i]}`;
    }
    case 'cores':
      return value < 1
        ? `${trim(value * 1000, 0)}m`
        : `${trim(value, 2)} cores`;
    case 'ratio':
      return `${trim(value * 100, value < 0.01 ? 2 : 1)}%`;
    case 'seconds':
      return value < 1 ? `${trim(value * 1000, 0)} ms` : `${trim(value, 2)} s`;
    case 'rps':
      return `${trim(value, value < 10 ? 2 : 0)}/s`;
    default:
      return trim(value, value < 10 && !Number.isInteger(value) ? 1 : 0);
  }
}

/** A timestamp for the axis: time of day, with the date over a day. */
export function formatTime(ms: number, withDate: boolean): string {
  const d = new Date(ms);
  const time = d.toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  });
  return withDate
    ? `${d.toLocaleDateString('en-GB', {
        day: '2-digit',
        month: 'short',
      })} ${time}`
    : time;
}
