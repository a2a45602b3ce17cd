import { render, screen } from '@testing-library/react';
import { Timestamp, isIsoTimestamp } from './Timestamp';

describe('Timestamp', () => {
  it('says how long ago, with the ISO value in the title', () => {
    const iso = new Date(Date.now() - 3 * 60_000).toISOString();
    render(<Timestamp iso={iso} />);
    const time = screen.getByText('3 minutes ago');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('dateTime', iso);
    expect(time.getAttribute('title')).toContain(iso);
  });

  it('can show the local date and time instead', () => {
    const iso = '2026-01-15T11:22:58Z';
    render(<Timestamp iso={iso} format="locale" />);
    expect(screen.getByText(new Date(iso).toLocaleString())).toHaveAttribute(
      'title',
      `${new Date(iso).toLocaleString()} (${iso})`,
    );
  });

  it('recognises ISO timestamps only', () => {
    expect(isIsoTimestamp('2026-01-15T11:22:58Z')).toBe(true);
    expect(isIsoTimestamp('2026-01-15T11:22:58.123+01:00')).toBe(true);
    expect(isIsoTimestamp('checkout-7d9f8')).toBe(false);
    expect(isIsoTimestamp('2026-01-15')).toBe(false);
  });
});
