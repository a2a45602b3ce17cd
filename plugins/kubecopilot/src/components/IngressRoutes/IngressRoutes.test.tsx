import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { IngressRoutes } from './IngressRoutes';

describe('IngressRoutes', () => {
  it('lists each route with its Service and highlights what does not exist', async () => {
    await renderInTestApp(
      <IngressRoutes
        ingresses={[
          {
            cluster: 'demo',
            namespace: 'shop',
            name: 'storefront',
            className: 'nginx',
            classExists: true,
            routes: [
              {
                host: 'shop.example.com',
                path: '/',
                service: 'storefront',
                port: '80',
                serviceExists: true,
                portExists: true,
              },
              {
                host: 'shop.example.com',
                path: '/api',
                service: 'storefront-api',
                port: '8080',
                serviceExists: false,
                portExists: false,
              },
              {
                host: 'shop.example.com',
                path: '/admin',
                service: 'storefront',
                port: 'admin',
                serviceExists: true,
                portExists: false,
              },
            ],
            tls: [
              {
                secretName: 'storefront-tls',
                hosts: ['shop.example.com'],
                exists: false,
              },
            ],
          },
          {
            cluster: 'demo',
            namespace: 'shop',
            name: 'docs',
            classExists: null,
            routes: [
              {
                service: 'docs',
                port: 'http',
                serviceExists: true,
                portExists: true,
              },
            ],
            tls: [],
          },
        ]}
      />,
    );
    const row = screen
      .getByText('storefront', { selector: 'p' })
      .closest('tr')!;
    expect(within(row).getByText('shop.example.com/api')).toBeInTheDocument();
    expect(
      within(row).getByText('storefront:80').closest('[data-problem]'),
    ).toBeNull();
    expect(
      within(row).getByText('storefront-api:8080').closest('div'),
    ).toHaveAttribute('data-problem', 'true');
    expect(within(row).getByText(/no such Service/)).toBeInTheDocument();
    expect(
      within(row).getByText(/the Service has no port admin/),
    ).toBeInTheDocument();
    expect(within(row).getByText(/Secret not found/)).toBeInTheDocument();
    expect(
      within(row).queryByText(/IngressClass not found/),
    ).not.toBeInTheDocument();

    const docs = screen.getByText('docs', { selector: 'p' }).closest('tr')!;
    expect(within(docs).getByText('cluster default')).toBeInTheDocument();
    expect(within(docs).getByText('no TLS')).toBeInTheDocument();
    expect(within(docs).getByText('*')).toBeInTheDocument();
  });
});
