import { translationApiRef } from '@backstage/frontend-plugin-api';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { translationApiFor } from '../../__testUtils__/translationApi';
import { Timestamp, isIsoTimestamp } from './Timestamp';

describe('Timestamp', () => {
  it('says how long ago, with the ISO value in the title', async () => {
    const iso = new Date(Date.now() - 3 * 60_000).toISOString();
    await renderInTestApp(<Timestamp iso={iso} />);
    const time = screen.getByText('3 minutes ago');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('dateTime', iso);
    expect(time.getAttribute('title')).toContain(iso);
  });

  it('can show the local date and time instead', async () => {
    const iso = '2026-01-15T11:22:58Z';
    await renderInTestApp(<Timestamp iso={iso} format="locale" />);
    const local = new Date(iso).toLocaleString('en');
    expect(screen.getByText(local)).toHaveAttribute(
      'title',
      `${local} (${iso})`,
    );
  });

  it('speaks Chinese when the user picked it', async () => {
    const iso = new Date(Date.now() - 3 * 60_000).toISOString();
    await renderInTestApp(
      <TestApiProvider
        apis={[[translationApiRef, await translationApiFor('zh-CN')]]}
      >
        <Timestamp iso={iso} />
        <Timestamp iso={new Date().toISOString()} />
      </TestApiProvider>,
    );
    expect(screen.getByText('刚刚')).toBeInTheDocument();
  });

  it('recognises ISO timestamps only', () => {
    expect(isIsoTimestamp('2026-01-15T11:22:58Z')).toBe(true);
    expect(isIsoTimestamp('2026-01-15T11:22:58.123+01:00')).toBe(true);
    expect(isIsoTimestamp('checkout-7d9f8')).toBe(false);
    expect(isIsoTimestamp('2026-01-15')).toBe(false);
  });
});
